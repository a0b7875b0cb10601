"""The REST API (Django REST framework): serializers, views and urls, thin over the services."""
