"""The exception hierarchy. Every message names the file, article or index and the fix."""


class AssistantError(Exception):
    """Base class of every error this package raises on purpose."""


class IngestError(AssistantError):
    """A source file or record could not be read as an article.

    ``path`` names the file, ``line`` the JSONL line (1-based) or None.
    """

    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class MissingDependency(IngestError):
    """An optional part (HTML support, say) cannot be imported: names the package that fixes it.

    ``package`` is the PyPI name to install; the message says so instead of showing a traceback.
    """

    def __init__(self, path: str, feature: str, package: str, cause: BaseException):
        self.package = package
        super().__init__(path, f"{feature} needs the package {package}, which is not installed or fails to "
                               f"import ({cause}); install it with: pip install {package}")


class IndexError_(AssistantError):
    """An index is missing, incomplete, or was built with other settings."""


class GoldError(AssistantError):
    """A gold file is malformed or refers to text that is not in its corpus."""


# Public, friendlier name; ``IndexError`` itself is a Python builtin we must not shadow.
IndexNotUsable = IndexError_
