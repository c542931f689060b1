from nora_social.celery import app as celery_app

__all__ = ("celery_app",)
