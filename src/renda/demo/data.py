"""Word lists for the synthetic demo county. Every person in the demo data is fictional."""

# Common surnames weighted roughly by frequency, plus the rare and polyphonic ones the roster must
# sort and search correctly (曾 zeng, 单 shan, 解 xie, 仇 qiu, 区 ou, 查 zha, 朴 piao).
SURNAMES = (
    "王" * 9
    + "李" * 9
    + "张" * 8
    + "刘" * 7
    + "陈" * 6
    + "杨" * 5
    + "黄" * 4
    + "赵" * 4
    + "吴" * 4
    + "周" * 4
    + "徐" * 3
    + "孙" * 3
    + "马" * 3
    + "朱" * 3
    + "胡" * 3
    + "郭" * 2
    + "何" * 2
    + "高" * 2
    + "林" * 2
    + "罗" * 2
    + "郑" * 2
    + "梁" * 2
    + "谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤单解仇区查朴"
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志文海东峰松春晖"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英萍红燕琳慧雪梅莉丹婷洁颖琴云蓉倩瑶佳美兰凤月彤"
ETHNICITIES = ["汉族"] * 92 + ["畲族"] * 5 + ["回族", "满族", "苗族"]
WORKPLACES = [
    "{village}村党支部书记",
    "{village}村村民委员会主任",
    "{village}村种植大户",
    "{township}中心学校教师",
    "{township}卫生院医生",
    "{township}农业综合服务中心农技员",
    "{village}村家庭农场主",
    "浙江{village}茶业有限公司总经理",
    "{township}供销社职工",
    "{village}村个体工商户",
    "{township}人民政府镇长",
    "{township}人大主席",
    "{township}派出所民警",
    "{village}村妇女主任",
    "{township}水利站站长",
]
VILLAGE_SUFFIXES = ["东", "西", "南", "北", "上", "下", "前", "后", "新", "石", "桥", "溪", "塘", "山", "湖"]

COUNTY_AGENCIES = [
    ("县发展和改革局", "office"),
    ("县财政局", "office"),
    ("县教育局", "office"),
    ("县公安局", "office"),
    ("县民政局", "office"),
    ("县人力资源和社会保障局", "office"),
    ("县自然资源和规划局", "office"),
    ("县住房和城乡建设局", "office"),
    ("县交通运输局", "office"),
    ("县农业农村局", "office"),
    ("县卫生健康局", "office"),
    ("县市场监督管理局", "office"),
    ("国家税务总局县税务局", "vertical"),
    ("国网县供电公司", "vertical"),
    ("县人民法院", "court"),
    ("县人民检察院", "procuratorate"),
]
TOWNSHIP_AGENCIES = [
    ("党政办", "office"),
    ("经济发展办", "office"),
    ("村镇建设办", "office"),
    ("农业农村办", "office"),
    ("社会事务办", "office"),
    ("财政所", "station"),
    ("派出所", "vertical"),
    ("卫生院", "station"),
    ("中心学校", "station"),
    ("供电所", "vertical"),
    ("自然资源所", "vertical"),
    ("市场监管所", "vertical"),
    ("司法所", "station"),
    ("水利站", "station"),
]

# Roster distributions close to a real township congress (domain.md §4: workers, farmers and
# technical staff about three quarters of township deputies).
OCCUPATIONS = (
    ["farmer"] * 40
    + ["worker"] * 10
    + ["migrant_worker"] * 3
    + ["technical"] * 22
    + ["leading_cadre"] * 15
    + ["business"] * 8
    + ["other"] * 2
)
PARTIES = (
    ["cpc"] * 62 + ["cpc_probationary"] * 2 + ["masses"] * 26 + ["non_partisan"] * 4 + ["cdl", "capd", "cndca"] * 2
)
EDUCATIONS = (
    ["undergraduate"] * 30
    + ["college"] * 28
    + ["high_school"] * 20
    + ["vocational"] * 8
    + ["junior_high"] * 10
    + ["postgraduate"] * 4
)
LEADER_TITLES = ["党委书记", "镇长", "人大主席", "人大副主席", "党委副书记", "纪委书记"]
LEADER_SURNAMES = "王李张刘陈杨周吴"
# Other duties a township records for its deputies: (kind, what was done, evidence).
OTHER_DUTIES = [
    ("training", "参加县人大代表履职能力提升培训班", "县人大常委会办公室培训通知及签到表"),
    ("training", "参加乡镇人大代表集中学习", "镇人大主席团学习通知"),
    ("training", "参加省人大代表网络学院专题培训", "结业证书"),
    ("article", "撰写乡村振兴调研报告", "《龙游人大》2024年第3期"),
    ("article", "发表履职体会文章", "《浙江人大》2025年第6期"),
    ("award", "获评县优秀人大代表", "县人大常委会表彰文件"),
    ("award", "获评市级劳动模范", "市总工会表彰决定"),
    ("donation", "为村小学捐助图书", "学校出具的接收证明"),
    ("other", "参加县人大常委会组织的执法检查", "执法检查通知"),
]
