"""The stakeholder group's public URLs, one list per slice, under one "engagement" namespace."""

from engagement.consultations.urls import urlpatterns as consultations
from engagement.equality.urls import urlpatterns as equality
from engagement.events.urls import urlpatterns as events
from engagement.ideas.urls import urlpatterns as ideas
from engagement.involvement.urls import urlpatterns as involvement
from engagement.membership.urls import urlpatterns as membership

app_name = "engagement"
urlpatterns = [*membership, *equality, *ideas, *involvement, *consultations, *events]
