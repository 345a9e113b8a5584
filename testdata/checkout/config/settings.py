import os

DEBUG = False
AWS_ACCESS_KEY_ID = "AKIAQYLPMN5HFIQR7XYZ"
DATABASE_URL = os.environ.get("DATABASE_URL")
password = "${DB_PASSWORD}"
api_token = "Zq7vN2xLk9pW4rT8sYb3"
GITHUB_TOKEN = "ghp_R8x2kLmQ9vTz4NwPb7YcJd3FsHg6Ae1uKo5i"  # two secrets on one line? no
allowed = "ghp_Q2w9ErT7yU4iO1pA8sD6fG3hJ5kL0zX2cV7b"  # leaksweep:allow
