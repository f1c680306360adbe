"""Security (issue 12; docs/security.md): proxies, login protection, sessions, CSP, HTTPS."""

from datetime import timedelta

from csp.constants import NONCE, NONE, SELF

from .environment import DEBUG, env

# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (make run, or
# gunicorn published directly) means the client address is REMOTE_ADDR and every
# X-Forwarded-* header is the client's own, untrusted word. DRF's throttles and django-axes
# read the address through the same rule (tracker.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
# One failure limit per counter (tracker.login_limits; docs/security.md, "Login protection"):
# - a username at one address: LOGIN_FAILURE_LIMIT (10);
# - a username from all addresses together: LOGIN_USERNAME_FAILURE_LIMIT (10 by default,
#   issue 12: at most 10 failures for one username, whatever the addresses). An operator
#   may raise it (then a username locked at one address still signs in from another);
# - an address, all usernames together: LOGIN_ADDRESS_FAILURE_LIMIT (100), against one
#   address spraying many usernames; high, because an office's users share an address.
#   0 turns this counter off.
AXES_HANDLER = "tracker.login_limits.TieredLimitsHandler"  # database: holds during a Redis outage
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
LOGIN_FAILURE_LIMITS = {
    "username,ip_address": AXES_FAILURE_LIMIT,
    "username": env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=AXES_FAILURE_LIMIT),
    "ip_address": env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=10 * AXES_FAILURE_LIMIT),
}
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"], "username"]
if LOGIN_FAILURE_LIMITS["ip_address"] > 0:
    AXES_LOCKOUT_PARAMETERS.append("ip_address")
# The cool-off runs from the failure that locked: the "try again at" of the message stays
# true, however often the locked door is knocked on.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, beside axes' AccessLog of successes
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "tracker.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"

# Idle expiry: a session ends this long after its last request (tracker.sessions renews it
# at most once per SESSION_RENEW_SECONDS instead of writing it on every request).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_RENEW_SECONDS = min(300, max(1, SESSION_COOKIE_AGE // 10))
# Live API tokens per user; a new one beyond this revokes the oldest (api_token_create).
API_TOKEN_MAX_PER_USER = env.int("API_TOKEN_MAX_PER_USER", default=10)

# Enforced (not report-only). Scripts only from this site or with the request's nonce; styles
# keep 'unsafe-inline' for the style="" attributes of the admin and Swagger UI (a style
# cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS defaults that pass `check --deploy --fail-level WARNING`; each has an explicit
# opt-out for a TLS-terminating proxy that does the job itself (docs/security.md).
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container's healthcheck asks over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # X-Forwarded-Proto is a client's claim unless a proxy of ours sets it.
    if TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
