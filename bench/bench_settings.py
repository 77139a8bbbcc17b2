"""xxgk's settings with the benchmark's URLconf (``bench_urls``): the bare view that
``bench/public_pages.py`` measures the pages against is served by the same processes, the
same middleware and the same settings, and ships in nothing but bench/."""

from xxgk.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
