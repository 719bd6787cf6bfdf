"""Closed lists of the roster (domain.md §4) and the Chinese spellings an imported roster uses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class BirthDatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class Party(models.TextChoices):
    """政治面貌: the Communist Party, the Youth League, the eight democratic parties, the rest."""

    CPC = "cpc", _("Member of the Communist Party of China")
    CPC_PROBATIONARY = "cpc_probationary", _("Probationary member of the Communist Party of China")
    CYL = "cyl", _("Member of the Communist Youth League")
    RCCK = "rcck", _("Revolutionary Committee of the Chinese Kuomintang")
    CDL = "cdl", _("China Democratic League")
    CNDCA = "cndca", _("China National Democratic Construction Association")
    CAPD = "capd", _("China Association for Promoting Democracy")
    CPWDP = "cpwdp", _("Chinese Peasants' and Workers' Democratic Party")
    CZGP = "czgp", _("China Zhi Gong Party")
    JIUSAN = "jiusan", _("Jiusan Society")
    TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")
    NON_PARTISAN = "non_partisan", _("Without party affiliation (personage)")
    MASSES = "masses", _("Ordinary citizen")


COMMUNIST = frozenset({Party.CPC, Party.CPC_PROBATIONARY})


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    UNDERGRADUATE = "undergraduate", _("Undergraduate degree")
    COLLEGE = "college", _("College diploma")
    VOCATIONAL = "vocational", _("Secondary vocational school")
    HIGH_SCHOOL = "high_school", _("Senior high school")
    JUNIOR_HIGH = "junior_high", _("Junior high school")
    PRIMARY = "primary", _("Primary school or less")


class Occupation(models.TextChoices):
    """The occupation categories of election reports; they propose the composition flags."""

    WORKER = "worker", _("Worker")
    MIGRANT_WORKER = "migrant_worker", _("Migrant worker")
    FARMER = "farmer", _("Farmer")
    TECHNICAL = "technical", _("Professional or technical staff")
    LEADING_CADRE = "leading_cadre", _("Leading cadre of party or government")
    BUSINESS = "business", _("Business manager")
    MILITARY = "military", _("Armed forces")
    OTHER = "other", _("Other")


WORKER_FARMER_OCCUPATIONS = frozenset({Occupation.WORKER, Occupation.MIGRANT_WORKER, Occupation.FARMER})

# The 56 ethnic groups as written on ID cards and rosters (proper nouns: stored as written).
ETHNIC_GROUPS = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
HAN = "汉族"

# How officials write the closed-list values in their spreadsheets.
GENDER_SPELLINGS = {"男": Gender.MALE, "女": Gender.FEMALE}
PARTY_SPELLINGS = {
    "中共党员": Party.CPC,
    "中国共产党党员": Party.CPC,
    "党员": Party.CPC,
    "中共": Party.CPC,
    "中共预备党员": Party.CPC_PROBATIONARY,
    "预备党员": Party.CPC_PROBATIONARY,
    "共青团员": Party.CYL,
    "团员": Party.CYL,
    "民革": Party.RCCK,
    "民革党员": Party.RCCK,
    "民盟": Party.CDL,
    "民盟盟员": Party.CDL,
    "民建": Party.CNDCA,
    "民建会员": Party.CNDCA,
    "民进": Party.CAPD,
    "民进会员": Party.CAPD,
    "农工党": Party.CPWDP,
    "农工党党员": Party.CPWDP,
    "致公党": Party.CZGP,
    "致公党党员": Party.CZGP,
    "九三学社": Party.JIUSAN,
    "九三学社社员": Party.JIUSAN,
    "台盟": Party.TDSGL,
    "台盟盟员": Party.TDSGL,
    "无党派人士": Party.NON_PARTISAN,
    "无党派": Party.NON_PARTISAN,
    "群众": Party.MASSES,
}
EDUCATION_SPELLINGS = {
    "研究生": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "大学": Education.UNDERGRADUATE,
    "本科": Education.UNDERGRADUATE,
    "大学本科": Education.UNDERGRADUATE,
    "大专": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "中专": Education.VOCATIONAL,
    "中技": Education.VOCATIONAL,
    "中专/中技": Education.VOCATIONAL,
    "职高": Education.VOCATIONAL,
    "高中": Education.HIGH_SCHOOL,
    "初中": Education.JUNIOR_HIGH,
    "小学": Education.PRIMARY,
    "小学及以下": Education.PRIMARY,
}
OCCUPATION_SPELLINGS = {
    "工人": Occupation.WORKER,
    "农民工": Occupation.MIGRANT_WORKER,
    "农民": Occupation.FARMER,
    "专业技术人员": Occupation.TECHNICAL,
    "专技人员": Occupation.TECHNICAL,
    "党政领导干部": Occupation.LEADING_CADRE,
    "领导干部": Occupation.LEADING_CADRE,
    "企业负责人": Occupation.BUSINESS,
    "军人": Occupation.MILITARY,
    "解放军": Occupation.MILITARY,
    "其他": Occupation.OTHER,
}
# The Chinese words an export writes for each value (the reverse of the spellings above).
GENDER_WORDS = {Gender.MALE: "男", Gender.FEMALE: "女"}
PARTY_WORDS = {
    Party.CPC: "中共党员",
    Party.CPC_PROBATIONARY: "中共预备党员",
    Party.CYL: "共青团员",
    Party.RCCK: "民革党员",
    Party.CDL: "民盟盟员",
    Party.CNDCA: "民建会员",
    Party.CAPD: "民进会员",
    Party.CPWDP: "农工党党员",
    Party.CZGP: "致公党党员",
    Party.JIUSAN: "九三学社社员",
    Party.TDSGL: "台盟盟员",
    Party.NON_PARTISAN: "无党派人士",
    Party.MASSES: "群众",
}
EDUCATION_WORDS = {
    Education.POSTGRADUATE: "研究生",
    Education.UNDERGRADUATE: "大学本科",
    Education.COLLEGE: "大学专科",
    Education.VOCATIONAL: "中专/中技",
    Education.HIGH_SCHOOL: "高中",
    Education.JUNIOR_HIGH: "初中",
    Education.PRIMARY: "小学及以下",
}
OCCUPATION_WORDS = {
    Occupation.WORKER: "工人",
    Occupation.MIGRANT_WORKER: "农民工",
    Occupation.FARMER: "农民",
    Occupation.TECHNICAL: "专业技术人员",
    Occupation.LEADING_CADRE: "党政领导干部",
    Occupation.BUSINESS: "企业负责人",
    Occupation.MILITARY: "军人",
    Occupation.OTHER: "其他",
}

TECHNICAL_OCCUPATIONS = frozenset({Occupation.TECHNICAL})
