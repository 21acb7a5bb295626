"""The text checker behind the 文字关 and 校核关 gates: a plain library (no Django) and a command.

    from zhongshu.proofread import check
    for finding in check("我们要进一步进一步加强管理,"):
        print(finding.rule, finding.message, finding.suggestion)

Rules live in `zhongshu/proofread/rules/`, one module per family, each declared with `registry.rule`;
the specification of every rule id (PUN-, NUM-, C-, TL-, W1–W4) is the project's gongwen digest.
"""

from .document import Document
from .engine import check, check_document
from .finding import Category, Finding, Hit, Severity
from .profile import Profile

__all__ = ["Category", "Document", "Finding", "Hit", "Profile", "Severity", "check", "check_document"]
