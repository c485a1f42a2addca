"""``jobcheck schedule``: when every CronJob of a repository runs, over a window.

collect.py reads the CronJobs (lint's discovery, config and skips), build.py lays out their runs
and what piles up (the dict of docs/schedule-json.md), text.py shows it in a terminal, html.py as
one self-contained page.
"""
