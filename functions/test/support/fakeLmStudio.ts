import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/*
 * A loopback server that speaks as LM Studio does (../shared/LMSTUDIO-WIRE-FORMATS.md): its
 * OpenAI-compatible /v1 routes, its native /api/v0/models, its error bodies, streaming, and
 * reasoning output; with faults the tests switch on. The real `openai` SDK talks to it.
 */

export interface FakeModel {
  id: string;
  state: "loaded" | "not-loaded";
  type?: "llm" | "embeddings" | "vlm";
  /** An embedding model's vector size (default 768, as Nomic Embed Text v1.5). */
  dimensions?: number;
}

/** The embedding model LM Studio ships with, as the tests load it. */
export const EMBEDDING_MODEL: FakeModel = {
  id: "text-embedding-nomic-embed-text-v1.5",
  state: "loaded",
  type: "embeddings",
  dimensions: 768,
};

export interface EmbeddingsRequestBody {
  model?: string;
  input?: unknown;
  encoding_format?: string;
}

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

/** What the model "says" for one request. */
export interface Answer {
  content: string;
  reasoning?: string;
  reasoningContent?: string;
  finishReason?: "stop" | "length";
  model?: string;
}

export type Fault =
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "delay"; ms: number }
  | { kind: "hang" }
  | { kind: "drop" }
  | { kind: "malformed" }
  /** Headers and half a body, then the connection drops (undici: "terminated"). */
  | { kind: "cut" }
  /** Any body under any content type, e.g. a valid completion sent as text/plain. */
  | { kind: "raw"; status: number; contentType: string; body: string }
  /** A streamed answer that breaks after some chunks: the connection drops, the server goes
   * silent, or an error event arrives inside the 200 stream (LM Studio since 0.3.18). */
  | { kind: "streamDrop"; afterChunks: number }
  | { kind: "streamStall"; afterChunks: number }
  | { kind: "streamError"; afterChunks: number; message: string }
  | { kind: "answer"; answer: Answer };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequestBody | undefined;
  at: number;
}

/** A report as a model following the schema would write it. */
export const DEFAULT_REPORT = {
  summary: "La clienta reclamó por el pedido 4512 demorado; se escaló a logística para el reenvío.",
  customerIntent: "saber cuándo llega el pedido 4512",
  sentiment: "negative",
  resolution: "escalated",
  nextSteps: ["Logística confirma el reenvío del pedido 4512"],
  topics: ["envíos", "demora"],
  language: "es",
};

export const lmStudioErrors = {
  modelNotFound: (model: string, available: string[]) => ({
    error: {
      message: `Model "${model}" not found. Please specify a valid model.\n\nYour models:\n${available.join("\n")}`,
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    },
  }),
  noModelsLoaded: () => ({
    error: {
      message:
        "No models loaded. Please load a model in the developer page or use the `lms load` command.",
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    },
  }),
  apiTokenRequired: () => ({
    error: {
      type: "invalid_request",
      code: "invalid_api_key",
      message: "An LM Studio API token is required to make requests to this server.",
    },
  }),
  contextOverflow: () => ({
    error:
      "Trying to keep the first 5012 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input",
  }),
  /** A chat model asked for embeddings. */
  notEmbedding: (model: string) => ({
    error: {
      message: `Failed to load model "${model}". Error: Model is not embedding.`,
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    },
  }),
  /** An embedding model asked to chat. */
  notLlm: (model: string) => ({
    error: {
      message: `Failed to load model "${model}". Error: Model is not an LLM.`,
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    },
  }),
  /** llama.cpp cannot embed zero tokens. */
  emptyInput: () => ({
    error: "Failed to embed: input is empty (n_tokens = 0). 'input' field must not be empty.",
  }),
  badInput: () => ({ error: "'input' field must be a string or an array of strings" }),
  unexpectedEndpoint: (method: string, path: string) => ({
    error: `Unexpected endpoint or method. (${method} ${path})`,
  }),
};

const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export class FakeLmStudio {
  models: FakeModel[] = [{ id: "gpt-oss-20b", state: "loaded", type: "llm" }];
  /** With just-in-time loading on (LM Studio's default) any downloaded model answers. */
  jit = true;
  /** Off: the server is another OpenAI-compatible one (Ollama, vLLM) without /api/v0/models. */
  nativeApi = true;
  /** When set, requests must carry `Authorization: Bearer <apiToken>`. */
  apiToken: string | undefined;
  /** Faults consumed one per embeddings request (status, delay, hang, drop), in order. */
  embeddingFaults: Fault[] = [];
  /** Every embeddings request's connection is dropped, while chat still answers. */
  embeddingsDown = false;
  /** Delay applied to every embeddings request. */
  embeddingLatencyMs = 0;
  /** Awaited by embeddings request N (0 = the first) before it answers: a test holds one back. */
  embeddingGate: ((index: number) => Promise<void>) | undefined;
  private embeddingCount = 0;
  /** Faults consumed one per chat request, in order; then `answer` applies. */
  faults: Fault[] = [];
  /** Every request's connection is dropped: the server is down (and comes up when false). */
  offline = false;
  /** Delay applied to every chat request, to make concurrency visible. */
  latencyMs = 0;
  /** While set, every chat request waits for it: a test holds the GPU busy, then lets go. */
  gate: Promise<void> | undefined;
  /**
   * `response_format: json_schema`: `enforced` answers JSON matching the schema (LM Studio's
   * llama.cpp engine, by grammar), `refused` answers 400, `ignored` answers plain text as some
   * MLX models do. `json_object` is always refused with LM Studio's own 400.
   */
  schemaSupport: "enforced" | "refused" | "ignored" = "enforced";
  /** What an enforced `conversation_report` schema answers. */
  report: Record<string, unknown> = { ...DEFAULT_REPORT };
  /**
   * Whose usage it reports: `lmstudio` (no cached tokens, as LM Studio's /v1 API) or
   * `llama-server` (llama.cpp's own: `timings.cache_n` and `usage.prompt_tokens_details`, the
   * common prefix with the previous prompt, one slot).
   */
  engine: "lmstudio" | "llama-server" = "lmstudio";
  private previousPrompt = "";
  /** Off: the stream ignores `stream_options.include_usage` (older servers do). */
  sendsUsage = true;
  /** Pause between streamed chunks: a model writing at human-visible speed. */
  chunkDelayMs = 0;
  /** Streamed content per chunk, in characters. */
  chunkChars = 12;
  /**
   * Awaited before each streamed chunk is sent (0 = the first): a test holds the stream until
   * what it expects has been seen (a browser showing the state so far) instead of racing a timer.
   */
  chunkGate: ((index: number) => Promise<void>) | undefined;
  /** When each streamed answer's first content token was sent (epoch ms). */
  readonly firstTokenAt: number[] = [];
  /** Chat requests whose client closed the connection before the answer ended, and when. */
  readonly disconnects: { at: number; model?: string }[] = [];
  answer: (body: ChatRequestBody) => Answer = () => ({ content: "¡Claro! Con gusto te ayudo." });
  readonly requests: RecordedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;

  /** Waits of `until`, looked at again on each change. */
  private readonly watchers = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<http.ServerResponse>();

  private readonly server = http.createServer();

  private constructor() {
    this.server.on("request", (req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeLmStudio> {
    const fake = new FakeLmStudio();
    await fake.listen();
    return fake;
  }

  /**
   * A server for the enclosing describe block: listening before its first test, reset before
   * each, closed after the last.
   */
  static forSuite(): FakeLmStudio {
    const fake = new FakeLmStudio();
    before(() => fake.listen());
    after(() => fake.close());
    beforeEach(() => fake.reset());
    return fake;
  }

  private listen(): Promise<void> {
    return new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The address as a user types it into LLM_STUDIO_URL (without /v1). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Resolves once `check` holds, looked at again whenever the server's state changes (a request
   * arrives, a chat starts or ends, a client leaves, a first token goes out): a test waits on the
   * server's own events, never on a timer. A wait that never ends fails at mocha's timeout.
   */
  until(check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const look = () => {
        if (!check()) return;
        this.watchers.delete(look);
        resolve();
      };
      this.watchers.add(look);
      look();
    });
  }

  private changed(): void {
    for (const look of [...this.watchers]) look();
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path === "/v1/embeddings" || r.path === "/api/v0/embeddings",
    );
  }

  /** The texts embedded so far, request by request. */
  embeddedInputs(): string[][] {
    return this.embeddingRequests().map((r) => {
      const input = (r.body as EmbeddingsRequestBody | undefined)?.input;
      return Array.isArray(input) ? input.map(String) : [String(input)];
    });
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path === "/v1/chat/completions" || r.path === "/api/v0/chat/completions",
    );
  }

  reset(): void {
    this.engine = "lmstudio";
    this.previousPrompt = "";
    this.models = [{ id: "gpt-oss-20b", state: "loaded", type: "llm" }];
    this.jit = true;
    this.nativeApi = true;
    this.apiToken = undefined;
    this.faults = [];
    this.embeddingFaults = [];
    this.embeddingsDown = false;
    this.embeddingLatencyMs = 0;
    this.embeddingGate = undefined;
    this.embeddingCount = 0;
    this.latencyMs = 0;
    this.gate = undefined;
    this.chunkDelayMs = 0;
    this.chunkChars = 12;
    this.chunkGate = undefined;
    this.sendsUsage = true;
    this.schemaSupport = "enforced";
    this.report = { ...DEFAULT_REPORT };
    this.disconnects.length = 0;
    this.firstTokenAt.length = 0;
    this.offline = false;
    this.answer = () => ({ content: "¡Claro! Con gusto te ayudo." });
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  }

  private async readBody(req: http.IncomingMessage): Promise<ChatRequestBody | undefined> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequestBody;
    } catch {
      return undefined;
    }
  }

  private authorized(req: http.IncomingMessage): boolean {
    return this.apiToken === undefined || req.headers.authorization === `Bearer ${this.apiToken}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.offline) {
      res.socket?.destroy();
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    const body = await this.readBody(req);
    this.requests.push({
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body,
      at: Date.now(),
    });
    this.changed();

    if (!this.authorized(req)) return this.send(res, 401, lmStudioErrors.apiTokenRequired());
    if (req.method === "GET" && path === "/v1/models") {
      return this.send(res, 200, {
        object: "list",
        data: this.models.map((m) => ({
          id: m.id,
          object: "model",
          owned_by: "organization_owner",
        })),
      });
    }
    if (req.method === "GET" && path === "/api/v0/models" && !this.nativeApi) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404 page not found");
      return;
    }
    if (req.method === "GET" && path === "/api/v0/models") {
      return this.send(res, 200, {
        object: "list",
        data: this.models.map((m) => ({
          id: m.id,
          object: "model",
          type: m.type ?? "llm",
          publisher: "lmstudio-community",
          arch: "gpt-oss",
          compatibility_type: "gguf",
          quantization: "Q4_K_M",
          state: m.state,
          max_context_length: 131072,
        })),
      });
    }
    if (
      req.method === "POST" &&
      (path === "/v1/chat/completions" || path === "/api/v0/chat/completions")
    ) {
      return this.chat(res, body ?? {});
    }
    if (req.method === "POST" && (path === "/v1/embeddings" || path === "/api/v0/embeddings")) {
      return this.embeddings(res, (body ?? {}) as EmbeddingsRequestBody);
    }
    // LM Studio answers unknown routes with a 200 and an error body.
    return this.send(res, 200, lmStudioErrors.unexpectedEndpoint(req.method ?? "GET", path));
  }

  private async chat(res: http.ServerResponse, body: ChatRequestBody): Promise<void> {
    // LM Studio stops generating when the client disconnects; the tests want to see that.
    res.on("close", () => {
      if (!res.writableFinished) this.disconnects.push({ at: Date.now(), model: body.model });
      this.changed();
    });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.changed();
    try {
      const fault = await this.nextFault(this.faults, this.latencyMs);
      if (await this.answeredWithFault(res, fault)) return;
      if (fault?.kind === "cut") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"id":"chatcmpl-1","object":"chat.completion","choices":[');
        await sleep(20);
        res.socket?.destroy();
        return;
      }
      if (fault?.kind === "raw") {
        res.writeHead(fault.status, { "content-type": fault.contentType });
        res.end(fault.body);
        return;
      }
      if (fault?.kind === "malformed") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"mess');
        return;
      }

      const model = this.models.find((m) => m.id === body.model);
      const usable = model && (this.jit || model.state === "loaded");
      if (!usable) {
        const loaded = this.models.filter((m) => m.state === "loaded");
        return this.send(
          res,
          404,
          !this.jit && loaded.length === 0
            ? lmStudioErrors.noModelsLoaded()
            : lmStudioErrors.modelNotFound(
                String(body.model),
                this.models.map((m) => m.id),
              ),
        );
      }
      if (model.state === "not-loaded") model.state = "loaded";
      if (model.type === "embeddings") return this.send(res, 404, lmStudioErrors.notLlm(model.id));

      const format = body.response_format as
        | {
            type?: string;
            json_schema?: {
              name?: string;
              schema?: { properties?: { options?: { minItems?: number } } };
            };
          }
        | undefined;
      if (format?.type === "json_object") {
        return this.send(res, 400, {
          error: "'response_format.type' must be 'json_schema' or 'text'",
        });
      }
      if (format?.type === "json_schema" && this.schemaSupport === "refused") {
        return this.send(res, 400, {
          error: "response_format of type json_schema is not supported for this model",
        });
      }
      let answer = fault?.kind === "answer" ? fault.answer : this.answer(body);
      if (
        format?.type === "json_schema" &&
        this.schemaSupport === "enforced" &&
        format.json_schema?.name === "conversation_report"
      ) {
        answer = { ...answer, content: JSON.stringify(this.report) };
      } else if (format?.type === "json_schema" && this.schemaSupport === "enforced") {
        const count = format.json_schema?.schema?.properties?.options?.minItems ?? 1;
        const options = Array.from({ length: count }, (_, i) => ({
          text: `${answer.content} (opción ${i + 1})`,
        }));
        answer = { ...answer, content: JSON.stringify({ options }) };
      }
      if (body.stream) return await this.stream(res, body, answer, fault);
      const completion = this.completion(body, answer);
      this.remember(body);
      return this.send(res, 200, completion);
    } finally {
      this.inFlight -= 1;
      this.changed();
    }
  }

  /** A request's fault, taken from its queue, once its delay, the latency and the gates passed. */
  private async nextFault(
    queue: Fault[],
    latencyMs: number,
    gate?: () => Promise<void>,
  ): Promise<Fault | undefined> {
    let fault = queue.shift();
    if (fault?.kind === "delay") {
      await sleep(fault.ms);
      fault = undefined;
    }
    if (latencyMs > 0) await sleep(latencyMs);
    if (this.gate) await this.gate;
    if (gate) await gate();
    return fault;
  }

  /** Answers with a fault any route can have (hang, drop, an error status); false for others. */
  private async answeredWithFault(
    res: http.ServerResponse,
    fault: Fault | undefined,
  ): Promise<boolean> {
    if (fault?.kind === "hang") {
      this.hanging.add(res);
      await new Promise((resolve) => res.on("close", resolve));
      return true;
    }
    if (fault?.kind === "drop") {
      res.socket?.destroy();
      return true;
    }
    if (fault?.kind === "status") {
      this.send(res, fault.status, fault.body, fault.headers);
      return true;
    }
    return false;
  }

  /**
   * `/v1/embeddings` as LM Studio answers it: floats whatever `encoding_format` says, usage all
   * zeros, a chat model or an empty input refused. The vectors are deterministic (see fakeVector).
   */
  private async embeddings(res: http.ServerResponse, body: EmbeddingsRequestBody): Promise<void> {
    if (this.embeddingsDown) {
      res.socket?.destroy();
      return;
    }
    const index = this.embeddingCount++;
    const gate = this.embeddingGate;
    const fault = await this.nextFault(
      this.embeddingFaults,
      this.embeddingLatencyMs,
      gate && (() => gate(index)),
    );
    if (await this.answeredWithFault(res, fault)) return;

    const model = this.models.find((m) => m.id === body.model);
    if (!model || !(this.jit || model.state === "loaded")) {
      return this.send(
        res,
        404,
        lmStudioErrors.modelNotFound(
          String(body.model),
          this.models.map((m) => m.id),
        ),
      );
    }
    if (model.type !== "embeddings")
      return this.send(res, 404, lmStudioErrors.notEmbedding(model.id));
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== "string")) {
      return this.send(res, 400, lmStudioErrors.badInput());
    }
    if (inputs.length === 0 || inputs.some((i) => (i as string).trim() === "")) {
      return this.send(res, 400, lmStudioErrors.emptyInput());
    }
    model.state = "loaded";
    return this.send(res, 200, {
      object: "list",
      data: (inputs as string[]).map((text, index) => ({
        object: "embedding",
        embedding: fakeVector(text, model.dimensions ?? 768),
        index,
      })),
      model: model.id,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  }

  private usage(body: ChatRequestBody, answer: Answer) {
    const prompt = approxTokens((body.messages ?? []).map((m) => m.content).join("\n"));
    const completion = approxTokens(
      answer.content + (answer.reasoning ?? "") + (answer.reasoningContent ?? ""),
    );
    const usage = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    };
    if (this.engine !== "llama-server") return usage;
    return { ...usage, prompt_tokens_details: { cached_tokens: this.cachedTokens(body) } };
  }

  /** llama-server's `timings`: the prompt's tokens taken from the slot's cache, and the rest. */
  private timings(body: ChatRequestBody): Record<string, number> | undefined {
    if (this.engine !== "llama-server") return undefined;
    const cached = this.cachedTokens(body);
    const prompt = approxTokens((body.messages ?? []).map((m) => m.content).join("\n"));
    return { cache_n: cached, prompt_n: prompt - cached };
  }

  /** The rendered prompt's common prefix with the previous one, in tokens (one slot). */
  private cachedTokens(body: ChatRequestBody): number {
    const rendered = (body.messages ?? [])
      .map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`)
      .join("");
    let common = 0;
    while (common < rendered.length && rendered[common] === this.previousPrompt[common])
      common += 1;
    // llama.cpp evaluates at least the prompt's last token again.
    const prompt = approxTokens((body.messages ?? []).map((m) => m.content).join("\n"));
    return Math.min(Math.floor(common / 4), prompt - 1);
  }

  /** The slot now holds this prompt: called once the answer has been sent. */
  private remember(body: ChatRequestBody): void {
    this.previousPrompt = (body.messages ?? [])
      .map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`)
      .join("");
  }

  private completion(body: ChatRequestBody, answer: Answer) {
    const message: Record<string, unknown> = { role: "assistant", content: answer.content };
    if (answer.reasoning !== undefined) message.reasoning = answer.reasoning;
    if (answer.reasoningContent !== undefined) message.reasoning_content = answer.reasoningContent;
    return {
      id: `chatcmpl-${Math.random().toString(36).slice(2, 12)}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: answer.model ?? body.model,
      choices: [
        { index: 0, logprobs: null, finish_reason: answer.finishReason ?? "stop", message },
      ],
      usage: this.usage(body, answer),
      ...(this.timings(body) ? { timings: this.timings(body) } : {}),
      stats: {},
      system_fingerprint: body.model,
    };
  }

  private async stream(
    res: http.ServerResponse,
    body: ChatRequestBody,
    answer: Answer,
    fault: Fault | undefined,
  ): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    const id = `chatcmpl-${Math.random().toString(36).slice(2, 12)}`;
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model: answer.model ?? body.model,
        system_fingerprint: body.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      })}\n\n`;
    const pieces = (text: string) =>
      text.match(new RegExp(`[\\s\\S]{1,${this.chunkChars}}`, "g")) ?? [];
    const deltas: Record<string, unknown>[] = [
      ...pieces(answer.reasoning ?? "").map((p) => ({ role: "assistant", reasoning: p })),
      ...pieces(answer.reasoningContent ?? "").map((p) => ({
        role: "assistant",
        reasoning_content: p,
      })),
      ...pieces(answer.content).map((p) => ({ role: "assistant", content: p })),
    ];
    const breaks =
      fault?.kind === "streamDrop" || fault?.kind === "streamStall" || fault?.kind === "streamError"
        ? fault
        : undefined;
    for (const [index, delta] of deltas.entries()) {
      if (this.chunkGate) await this.chunkGate(index);
      if (res.destroyed) return;
      if (breaks && index === breaks.afterChunks) {
        if (breaks.kind === "streamDrop") {
          res.socket?.destroy();
          return;
        }
        if (breaks.kind === "streamStall") {
          this.hanging.add(res);
          await new Promise((resolve) => res.on("close", resolve));
          return;
        }
        res.end(`data: ${JSON.stringify({ error: { message: breaks.message } })}\n\n`);
        return;
      }
      if ("content" in delta && index === deltas.findIndex((d) => "content" in d)) {
        this.firstTokenAt.push(Date.now());
        this.changed();
      }
      res.write(chunk(delta, null));
      if (this.chunkDelayMs > 0) await sleep(this.chunkDelayMs);
    }
    if (res.destroyed) return;
    res.write(chunk({}, answer.finishReason ?? "stop"));
    if (body.stream_options?.include_usage && this.sendsUsage) {
      const timings = this.timings(body);
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", choices: [], usage: this.usage(body, answer), ...(timings ? { timings } : {}) })}\n\n`,
      );
    }
    this.remember(body);
    res.end("data: [DONE]\n\n");
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const STOPWORDS = new Set(
  "que los las del por para con una uno unos unas como hay sus muy mas pero sin sobre este esta esto the and for you your are with this that have can what how".split(
    " ",
  ),
);

/** Lower case, no accents, no plural: "Envíos" and "envio" are one word. */
export function fakeWords(text: string): string[] {
  return text
    .replace(/^search_(query|document): /, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w))
    .map((w) => (w.length > 4 && w.endsWith("es") ? w.slice(0, -2) : w))
    .map((w) => (w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w));
}

/**
 * A deterministic stand-in for a real embedding: each word is hashed to one signed dimension, and
 * the vector normalised, so texts that share words come out near in cosine distance and texts
 * that share none come out about orthogonal (distance near 1).
 */
export function fakeVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of fakeWords(text)) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i += 1)
      hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
    hash >>>= 0;
    vector[hash % dimensions] += hash & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  // A text of stopwords only: a fixed unit vector rather than zeros, as a real model never
  // returns a zero vector.
  if (norm === 0) return vector.map((_, i) => (i === 0 ? 1 : 0));
  return vector.map((x) => x / norm);
}

/** A loopback URL where nothing listens: connections are refused. */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
