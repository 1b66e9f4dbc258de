"""Errors the emulator returns, as Amazon Forecast's JSON 1.1 protocol writes them.

Every error is one JSON body, `{"__type": <code>, "message": <text>}`, with an
HTTP status. botocore reads `__type` to pick the client exception class
(`client.exceptions.ResourceNotFoundException`, ...), so the codes are the exact
shape names of botocore's Forecast model.
"""

from __future__ import annotations

from typing import ClassVar


class ForecastError(Exception):
    """One error response: a code, a message and an HTTP status."""

    code: ClassVar[str] = "InternalFailure"
    status: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, str]:
        return {"__type": self.code, "message": self.message}


class InvalidInputException(ForecastError):
    code = "InvalidInputException"


class ValidationException(ForecastError):
    """A request breaking the service model's constraints, rejected by the AWS JSON protocol."""

    code = "ValidationException"


class ResourceAlreadyExistsException(ForecastError):
    code = "ResourceAlreadyExistsException"


class ResourceNotFoundException(ForecastError):
    code = "ResourceNotFoundException"


class ResourceInUseException(ForecastError):
    code = "ResourceInUseException"


class LimitExceededException(ForecastError):
    code = "LimitExceededException"


class InvalidNextTokenException(ForecastError):
    code = "InvalidNextTokenException"


class ThrottlingException(ForecastError):
    """HTTP 400 with this code: botocore's retry handlers treat it as throttling."""

    code = "ThrottlingException"


class SerializationException(ForecastError):
    code = "SerializationException"


class UnknownOperationException(ForecastError):
    code = "UnknownOperationException"


class InternalFailure(ForecastError):
    """An injected transient server error (HTTP 500): botocore retries it."""

    code = "InternalFailure"
    status = 500
