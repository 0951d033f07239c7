"""Gunicorn's settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi` (the README's production
notes). Bind address and workers come from the command line or GUNICORN_CMD_ARGS."""

# Writes both logs to standard output and error, with the tokens of participants' links and invitations masked.
logger_class = "config.gunicorn_logging.SecretMaskingLogger"
accesslog = "-"
errorlog = "-"
# The combined format, with the request time; "%(r)s" (the request line), "%(U)s", "%(q)s" and "%(f)s" are masked.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
