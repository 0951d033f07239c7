"""The public pages of each service: what RJ is, contact and opening hours, privacy notice, accessibility statement,
and the feedback and complaints form. Anyone may use them without signing in; they show only what the service
publishes, and the form only records."""

ENDPOINTS = ()

_WHY = "public: {}, tested in tests/public/{}"

PUBLIC = {
    "public:index": _WHY.format("the list of services", "test_info_pages.py"),
    "public:service": _WHY.format("what RJ is and how to take part", "test_info_pages.py"),
    "public:contact": _WHY.format("contact details and opening hours", "test_info_pages.py"),
    "public:privacy": _WHY.format("the service's privacy notice", "test_info_pages.py"),
    "public:accessibility": _WHY.format("the accessibility statement", "test_info_pages.py"),
    "public:feedback": _WHY.format("the feedback and complaints form", "test_feedback.py"),
    "public:feedback_done": _WHY.format("the page after sending feedback, repeating nothing typed", "test_feedback.py"),
}
