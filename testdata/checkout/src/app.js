const headers = { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQ4MjkiLCJyb2xlIjoiYWRtaW4ifQ.kQ9vX2mL7pR4tY8wZ1nB3cF6hJ0sD5gA' };
const x = 1; // café
