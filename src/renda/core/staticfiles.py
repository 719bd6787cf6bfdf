"""Static files under names that carry a hash of their content (``collectstatic``), for the
production profile: browsers may keep them for good, and a new release never pairs a new page with
an old script or style sheet."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class HashedStaticFilesStorage(ManifestStaticFilesStorage):
    """Django's manifest storage without rewriting source-map comments: the vendored bundles
    (Bootstrap, ECharts) are copied at set-up without their ``.map`` files, which Django's storage
    would otherwise require and refuse to collect without. A browser's developer tools then find no
    map, which changes nothing for users."""

    patterns = tuple(
        (files, tuple(pattern for pattern in rewrites if "sourceMappingURL" not in str(pattern)))
        for files, rewrites in ManifestStaticFilesStorage.patterns
    )
