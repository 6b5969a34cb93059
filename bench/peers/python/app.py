"""A reference peer for the head-to-head runs: the converter's JSON contract on FastAPI, the stack of
the Python services this project replaces, served by uvicorn with uvloop and httptools (its standard
fast setup), one worker process, as one would deploy it on one core."""
import math
import secrets
from datetime import datetime, timezone
from typing import List, Union

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

APP_ID = secrets.token_hex(4)

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


class ConvertRequest(BaseModel):
    fahrenheit: Union[float, List[float]]


@app.exception_handler(RequestValidationError)
async def invalid_request(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=400, content={"error": "Invalid request data"})


def to_celsius(fahrenheit: float) -> float:
    celsius = (fahrenheit - 32) * 5 / 9
    if not math.isfinite(celsius):
        raise ValueError("out of range")
    return celsius


@app.post("/convert")
async def convert(request: ConvertRequest):
    try:
        if isinstance(request.fahrenheit, list):
            return {"celsius": [to_celsius(f) for f in request.fahrenheit], "app_id": APP_ID}
        return {"celsius": to_celsius(request.fahrenheit), "app_id": APP_ID}
    except ValueError:
        return JSONResponse(status_code=400, content={"error": "Invalid request data"})


@app.get("/")
async def hello():
    return {"message": "Hello", "timestamp": datetime.now(timezone.utc).isoformat(), "app_id": APP_ID}


@app.get("/health/ready")
async def ready():
    return {"status": "UP"}
