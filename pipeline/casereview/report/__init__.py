"""The national overview (like Appendix 1 of the triennial review): HTML with charts, CSVs and a workbook.

Entry: build_report(results_dir, out_html, db_url=None) -> ReportOutput.
"""

from casereview.report.build import ReportOutput, build_report

__all__ = ["ReportOutput", "build_report"]
