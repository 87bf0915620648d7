"""The routes the plugin adds to moto's EMR Serverless URL table (`moto.emrserverless.urls`).

Keys spelled exactly like moto's replace moto's handler; the `[^/]*` spellings also take
empty labels, so that they answer a ValidationException rather than moto's "Not yet
implemented". Methods the plugin does not implement on a path go to moto's own handler.
"""

from __future__ import annotations

from .app_handlers import start, stop
from .applications import application, applications
from .responses import attempts, dashboard, job_run, job_runs

url_paths = {
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/attempts$": attempts,
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/dashboard$": dashboard,
    # moto's own spellings, replaced in place
    "{0}/applications/(?P<applicationId>[^/]+)/jobruns/(?P<jobRunId>[^/]+)$": job_run,
    "{0}/applications/(?P<applicationId>[^/]+)/jobruns$": job_runs,
    # the same paths with empty labels
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)$": job_run,
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns$": job_runs,
    # moto's application routes, wrapped for the scheduler configuration (moto's dispatch)
    "{0}/applications$": applications,
    "{0}/applications/(?P<applicationId>[^/]+)$": application,
    # StartApplication and StopApplication, over time (moto's spellings, replaced in place)
    "{0}/applications/(?P<applicationId>[^/]+)/start$": start,
    "{0}/applications/(?P<applicationId>[^/]+)/stop$": stop,
}
