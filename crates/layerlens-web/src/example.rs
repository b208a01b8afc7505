//! The text the editor starts with: the guide's "bad" Python example (layer ordering),
//! joined with its "one RUN per step" mistake, so there is something to find at once.

pub const BAD_PYTHON: &str = r#"# The whole app is copied before its requirements are installed,
# so every code edit throws away the pip layer's cache.
FROM python:3.13-slim
RUN apt-get update
RUN apt-get install -y curl
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"#;
