from django.shortcuts import render


def home(request):
    """Every signed-in user: the start page."""
    return render(request, "home.html")
