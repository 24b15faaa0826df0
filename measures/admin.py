"""Measures are case content and stay out of the admin; configuration is edited in the app's own
screens (termijnregels, escalatiematrix) through services, so every write is audited."""
