"""DRF, the OpenAPI schema, CORS and API tokens."""

from .environment import env
from .security import TRUSTED_PROXY_COUNT

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organizations.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.IsAuthenticatedAndTokenAllows"],
    # DRF's defaults, with the JSON parser that refuses deep nesting (tracker/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "tracker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "tracker.filters.FilterBackend",
        "tracker.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.AnonRateThrottle",
        "tracker.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    # Proxies in front of the app (security.py): the throttles read the client address.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Agreement tracker API",
    "DESCRIPTION": (
        "Meetings and memoranda of understanding between municipalities and industrial "
        "estates. Dates are ISO 8601 in Asia/Tehran with a read-only Jalali twin."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Several apps name a choice field "status", "role" or "kind": give each set its own name.
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "agreements.choices.AgreementStatus",
        "PartyRoleEnum": "agreements.choices.PartyRole",
        "MeetingKindEnum": "meetings.choices.MeetingKind",
        "MeetingStatusEnum": "meetings.choices.MeetingStatus",
        "AttendanceRoleEnum": "meetings.choices.AttendanceRole",
        "AttendanceStatusEnum": "meetings.choices.AttendanceStatus",
        "ActionItemStatusEnum": "meetings.choices.ActionItemStatus",
        "OccurrenceStatusEnum": "commitments.choices.OccurrenceStatus",
        "RecurrenceEnum": "commitments.choices.Recurrence",
        "MeetingEventKindEnum": "meetings.choices.MeetingEventKind",
        "ReminderStateEnum": "notifications.choices.ReminderState",
        "DeliveryStatusEnum": "notifications.choices.DeliveryStatus",
        "OrganizationKindEnum": "organizations.choices.OrganizationKind",
        "RoleEnum": "organizations.choices.Role",
        "ImportKindEnum": "imports.choices.ImportKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dashboard.openapi.add_error_responses",
        "dashboard.openapi.add_conditional_get",
        "dashboard.openapi.describe_jalali_dates",
        # Last: fills what the others and the views left undescribed.
        "dashboard.openapi.fill_descriptions",
    ],
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
