import { expect } from "chai";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { breakerDecision } from "../../src/providers/circuitBreaker";
import { classifyProviderError, retryAfterMs } from "../../src/providers/classifyProviderError";
import { lmStudioErrors } from "../support/fakeLmStudio";

const statusError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  APIError.generate(status, body as object, undefined, new Headers(headers));

const classify = (err: unknown) => {
  const e = classifyProviderError(err, "LM Studio at http://127.0.0.1:1234/v1");
  return { code: e.code, retryable: e.retryable, message: e.message };
};

describe("provider error classification", () => {
  it("connection refused and timeouts are transient", () => {
    expect(
      classify(
        new APIConnectionError({ cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }),
      ),
    ).to.deep.include({
      code: "provider_unreachable",
      retryable: true,
    });
    expect(classify(new APIConnectionTimeoutError())).to.deep.include({
      code: "provider_timeout",
      retryable: true,
    });
    expect(classify(new APIUserAbortError())).to.deep.include({
      code: "provider_timeout",
      retryable: true,
    });
  });

  it("LM Studio's 404 for a missing model is model_not_found and permanent", () => {
    const result = classify(
      statusError(404, lmStudioErrors.modelNotFound("llama-9", ["gpt-oss-20b"])),
    );
    expect(result).to.deep.include({ code: "model_not_found", retryable: false });
    expect(result.message).to.contain('Model "llama-9" not found');
    expect(classify(statusError(404, lmStudioErrors.noModelsLoaded()))).to.deep.include({
      code: "model_not_found",
    });
  });

  it("recognises other servers' missing-model errors", () => {
    expect(
      classify(
        statusError(404, {
          error: { message: 'model "x" not found, try pulling it first', type: "not_found_error" },
        }),
      ).code,
    ).to.equal("model_not_found");
    expect(
      classify(
        statusError(404, {
          error: { message: "The model `x` does not exist.", type: "NotFoundError", code: 404 },
        }),
      ).code,
    ).to.equal("model_not_found");
  });

  it("another web server's 404 page at a wrong address is a provider error, not a missing model", () => {
    const page = "<!DOCTYPE html><html><body><pre>Cannot GET /v1/models</pre></body></html>";
    expect(classify(statusError(404, page)).code).to.equal("provider_error");
  });

  it("an unknown route is a provider error, not a missing model", () => {
    expect(
      classify(
        statusError(404, lmStudioErrors.unexpectedEndpoint("POST", "/v1/v1/chat/completions")),
      ).code,
    ).to.equal("provider_error");
  });

  it("401 and 403 are provider_auth and not retried", () => {
    expect(classify(statusError(401, lmStudioErrors.apiTokenRequired()))).to.deep.include({
      code: "provider_auth",
      retryable: false,
    });
    expect(classify(statusError(403, { error: { message: "forbidden" } }))).to.deep.include({
      code: "provider_auth",
    });
  });

  it("429 is rate limiting and carries the Retry-After wait", () => {
    const err = classifyProviderError(
      statusError(429, { error: { message: "slow down" } }, { "retry-after": "2" }),
      "OpenAI",
    );
    expect(err.code).to.equal("provider_rate_limited");
    expect(err.retryable).to.equal(true);
    expect(err.details.retryAfterMs).to.equal(2000);
  });

  it("5xx is a transient provider error; a plain 400 is permanent", () => {
    expect(classify(statusError(500, { error: "Internal error" }))).to.deep.include({
      code: "provider_error",
      retryable: true,
    });
    expect(
      classify(
        statusError(503, {
          error: { code: 503, message: "Loading model", type: "unavailable_error" },
        }),
      ),
    ).to.deep.include({
      code: "provider_error",
      retryable: true,
    });
    expect(
      classify(
        statusError(400, { error: "'response_format.type' must be 'json_schema' or 'text'" }),
      ),
    ).to.deep.include({
      code: "provider_error",
      retryable: false,
    });
  });

  it("context overflow in LM Studio's, llama.cpp's and OpenAI's words is context_too_long", () => {
    expect(classify(statusError(400, lmStudioErrors.contextOverflow())).code).to.equal(
      "context_too_long",
    );
    expect(
      classify(
        statusError(400, {
          error: {
            code: 400,
            message: "request exceeds the available context size",
            type: "exceed_context_size_error",
          },
        }),
      ).code,
    ).to.equal("context_too_long");
    expect(
      classify(
        statusError(400, { error: { message: "too long", code: "context_length_exceeded" } }),
      ).code,
    ).to.equal("context_too_long");
  });

  it("anything else is an unreadable response", () => {
    expect(classify(new SyntaxError("Unexpected end of JSON input"))).to.deep.include({
      code: "invalid_response",
      retryable: false,
    });
  });

  it("reads retry-after-ms, retry-after seconds and HTTP dates", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "1500" }))).to.equal(1500);
    expect(retryAfterMs(new Headers({ "retry-after": "3" }))).to.equal(3000);
    expect(
      retryAfterMs(new Headers({ "retry-after": new Date(10_000).toUTCString() }), 4_000),
    ).to.equal(6000);
    expect(retryAfterMs(new Headers({}))).to.equal(undefined);
  });

  it("what a server answered decides whether it counts against the server's circuit breaker", () => {
    const decide = (err: unknown) =>
      breakerDecision(
        {
          ok: false,
          error: classifyProviderError(err, "LM Studio at http://127.0.0.1:1234/v1"),
          callerAborted: false,
        },
        { state: "closed", consecutiveFailures: 0, failureThreshold: 5 },
      ).kind;
    const refused = new APIConnectionError({
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    expect({
      refused: decide(refused),
      timedOut: decide(new APIConnectionTimeoutError()),
      internalError: decide(statusError(500, { error: "Internal error" })),
      loadingModel: decide(statusError(503, { error: { message: "Loading model" } })),
      tokenRequired: decide(statusError(401, lmStudioErrors.apiTokenRequired())),
      rateLimited: decide(statusError(429, { error: { message: "slow down" } })),
      missingModel: decide(statusError(404, lmStudioErrors.modelNotFound("x", []))),
      contextOverflow: decide(statusError(400, lmStudioErrors.contextOverflow())),
      badRequest: decide(statusError(400, { error: "'response_format.type' must be 'text'" })),
      unreadable: decide(new SyntaxError("Unexpected end of JSON input")),
    }).to.deep.equal({
      refused: "count",
      timedOut: "count",
      internalError: "count",
      loadingModel: "count",
      tokenRequired: "count",
      rateLimited: "count",
      missingModel: "reset",
      contextOverflow: "reset",
      badRequest: "reset",
      unreadable: "reset",
    });
  });
});
