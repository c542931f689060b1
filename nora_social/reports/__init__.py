"""The yearly report to kommunstyrelsen and the auditors (DESIGN.md "The yearly
report"): at the top of the import graph, it reads every app. No models: the
finished files live in the media storage beside a small manifest, and the PDF is
registered in the diarium as a drawn-up document."""
