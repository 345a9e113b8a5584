"""Application settings (synthetic test values)."""
import os

DEBUG = False
GITHUB_TOKEN = "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"
AWS_ACCESS_KEY_ID = "AKIAGGR7CGKABU75BXQL"
AWS_ACCESS_KEY_ID_EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
SLACK = os.environ.get("SLACK_BOT_TOKEN", "xoxb-13385540708-4911471127976-ujk3NxuR7VkOz9W6VoD36kOk")  # leaksweep:allow
ADMINS = ["ines.okafor@fernhill-labs.io"]
