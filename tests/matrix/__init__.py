"""Permission-matrix rows, one module per part of the product (read by tests/test_permission_matrix.py).

Each module defines ENDPOINTS (a tuple of Endpoint), URL_NAMES (the page URL names it covers) and API_PATHS (the
OpenAPI paths it covers). Endpoint and the Target its paths receive are in tests/matrix/base.py.
"""
