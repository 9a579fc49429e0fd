import { APIError } from "openai";
import type { ChatMessage } from "../core/vocabulary";

/*
 * JSON answers with a schema: `response_format: { type: "json_schema", … }`, which LM Studio
 * enforces by grammar on llama.cpp models. Some servers refuse it (400) and some models ignore
 * it, so every answer is validated, and a server that failed once is asked for plain text from
 * then on (remembered per server, per instance).
 */

export interface StructuredOutput {
  /** The schema's name, as `response_format.json_schema.name`. */
  name: string;
  /** The JSON Schema sent to the server. */
  schema: Record<string, unknown>;
  /** The validated value, or undefined when the JSON does not match. */
  parse(json: unknown): unknown;
  /** The plain-text prompt used where schemas fail. */
  fallbackMessages: ChatMessage[];
}

/** The server refused the schema or the model's JSON did not match it. */
export class SchemaUnsupportedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "SchemaUnsupportedError";
  }
}

export function responseFormatOf(structured: StructuredOutput) {
  return {
    type: "json_schema" as const,
    json_schema: { name: structured.name, strict: true, schema: structured.schema },
  };
}

/** A 400 about `response_format` itself: the server cannot do schemas, not a bad request. */
export function isSchemaRefusal(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status !== 400) return false;
  const body = JSON.stringify(err.error ?? "") + err.message;
  return /response_format|json_schema|json schema|grammar/i.test(body);
}

/** The validated value of an answer's text, or SchemaUnsupportedError. */
export function readStructured(structured: StructuredOutput, text: string): unknown {
  let json: unknown;
  try {
    // Some models wrap JSON in a Markdown fence even under a schema.
    json = JSON.parse(text.replace(/^```(?:json)?\s*|\s*```$/g, ""));
  } catch {
    throw new SchemaUnsupportedError("the answer is not JSON");
  }
  const value = structured.parse(json);
  if (value === undefined) throw new SchemaUnsupportedError("the JSON does not match the schema");
  return value;
}
