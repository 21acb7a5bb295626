"""What the office prints, as files people can file: shared DOCX helpers and Chinese date wording.

Pure Python (python-docx, lxml); no Django and no clock — every date comes in as an argument. The tracking
exports (bulletins, notices) use it today; the documents module's GB/T 9704 renderer will build on it.
"""
