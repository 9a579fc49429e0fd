import { ENV_SPEC, EnvVarSpec } from "./envSpec";

/*
 * functions/.env.example, made from ENV_SPEC (which declares every variable once), so that it
 * lists every variable with its meaning and default and can never fall behind. Every line is a
 * comment: a copy changes nothing until a line is uncommented, so copying it to .env.local for
 * the bridge does not, say, turn npm run dev's one line per outcome into JSON logs.
 */

const HEADER = [
  "# Every environment variable the functions and the local tools read, with its default.",
  "# Generated from src/config/envSpec.ts by `npm run env:example`; a test keeps the two in step.",
  "# Copy to functions/.env (deployed) or functions/.env.local (emulator, npm run dev, the bridge)",
  "# and uncomment what you change. Secrets go to functions/.secret.local locally and to",
  "# `firebase functions:secrets:set NAME` when deployed.",
];

function defaultOf(spec: EnvVarSpec): string {
  if (spec.kind === "secret") return "";
  return String(spec.default);
}

function allowed(spec: EnvVarSpec): string | undefined {
  if (spec.kind === "choice") return `one of ${spec.choices.join(", ")}`;
  if (spec.kind === "int" || spec.kind === "number") return `${spec.min} to ${spec.max}`;
  if (spec.kind === "boolean") return "true or false";
  if (spec.kind === "secret") return "a secret";
  return undefined;
}

export function envExampleText(): string {
  const lines = [...HEADER];
  for (const [name, spec] of Object.entries(ENV_SPEC) as [string, EnvVarSpec][]) {
    const where = spec.localOnly ? " (local tools only)" : "";
    const range = allowed(spec);
    const meaning = spec.description.replace(/\.$/, "");
    lines.push("", `# ${meaning}${where}.${range ? ` Allowed: ${range}.` : ""}`);
    if (spec.aliases?.length) lines.push(`# Older name, still read: ${spec.aliases.join(", ")}.`);
    lines.push(`# ${name}=${defaultOf(spec)}`);
  }
  return `${lines.join("\n")}\n`;
}
