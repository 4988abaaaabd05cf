"""The pages: small views that check access (assessment.access), call a selector or a service, and render."""
