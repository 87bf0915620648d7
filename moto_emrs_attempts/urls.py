"""The routes the plugin adds to moto's EMR Serverless URL table (`moto.emrserverless.urls`)."""

from __future__ import annotations

from .responses import list_job_run_attempts

url_paths = {
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/attempts$": (
        list_job_run_attempts
    ),
}
