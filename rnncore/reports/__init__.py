"""What people read and CI consumes: the HTML report, its figures, the Markdown summary, JUnit XML, notebooks.

Every report is built from the parity verdict (``results/parity/verdict.json``) and carries its
fingerprint (:mod:`rnncore.reports.fingerprint`), so that a report describing anything but the
current verdict can be found and removed.
"""
