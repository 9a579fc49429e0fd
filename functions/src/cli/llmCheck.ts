import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { normalizeBaseUrl } from "../config/envValues";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { checkLmStudioConnection, ConnectionReport } from "../health/checkLmStudioConnection";
import { GenerationError, hintFor } from "../core/errorCodes";
import { checkMessages } from "../health/checkMessages";
import { LANG_OPTION, readLangFlag } from "./commandLanguage";
import { llmCheckMessages } from "./llmCheckMessages";
import { type Language } from "../core/language";

function paint(tty: boolean) {
  const wrap = (code: number) => (text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { green: wrap(32), yellow: wrap(33), red: wrap(31), dim: wrap(2), bold: wrap(1) };
}

export function formatConnectionReport(
  report: ConnectionReport,
  tty: boolean,
  language: Language = "en",
): string {
  const say = checkMessages(language);
  const c = paint(tty);
  const mark = { ok: c.green("✓"), warn: c.yellow("!"), fail: c.red("✗") };
  const lines: string[] = [];
  for (const server of report.servers) {
    lines.push(c.bold(say.serverAt(server.url)));
    for (const step of server.steps) {
      lines.push(
        `  ${mark[step.status]} ${step.summary}${step.code ? c.dim(` [${step.code}]`) : ""}`,
      );
      if (step.fix && step.status !== "ok") lines.push(`      ${c.dim(say.fix)} ${step.fix}`);
      if (step.name === "models" && server.models.length > 0) {
        for (const m of server.models) {
          const state = m.state !== "unknown" ? say.modelState(m.state) : undefined;
          const details = [state, m.type, m.quantization].filter(Boolean).join(", ");
          lines.push(`      ${m.id}${details ? c.dim(` (${details})`) : ""}`);
        }
      }
    }
    if (server.completion) {
      const p = server.completion;
      lines.push(
        `  ${c.dim(say.stats(p.latencyMs, String(p.completionTokens ?? "?"), String(p.tokensPerSecond ?? "?")))}`,
      );
    }
    for (const step of server.embedding?.steps ?? []) {
      lines.push(
        `  ${mark[step.status]} ${step.summary}${step.code ? c.dim(` [${step.code}]`) : ""}`,
      );
      if (step.fix && step.status !== "ok") lines.push(`      ${c.dim(say.fix)} ${step.fix}`);
    }
  }
  const suggestions = report.servers.every((s) => s.suggestionsReady);
  lines.push(suggestions ? c.green(say.ready) : c.red(say.notReady));
  const embedding = report.servers.flatMap((s) => (s.embedding ? [s.embedding.ok] : []));
  if (embedding.length > 0) {
    lines.push(
      embedding.every(Boolean) ? c.green(say.embeddingReady) : c.red(say.embeddingNotReady),
    );
  }
  return lines.join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      url: { type: "string" },
      model: { type: "string" },
      "embedding-model": { type: "string" },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(values.lang, process.env);
  if (!lang) return 2;
  // No workspace here: the flag, then the terminal's language, then English.
  const { language } = lang;
  if (values.help) {
    console.log(llmCheckMessages(language).usage);
    return 0;
  }
  loadFunctionsEnvFiles(resolve(__dirname, "../.."));
  let report: ConnectionReport;
  try {
    const config = parseRuntimeConfig(process.env);
    const embeddingModel = values["embedding-model"] ?? config.checkEmbeddingModel;
    report = await checkLmStudioConnection({
      baseUrls: values.url ? [normalizeBaseUrl("--url", values.url)] : config.lmStudio.baseUrls,
      apiKey: config.lmStudio.apiKey,
      model: values.model ?? config.checkModel,
      ...(embeddingModel.toLowerCase() !== "none" ? { embeddingModel } : {}),
      timeoutMs: config.timeoutMs,
      language,
    });
  } catch (err) {
    if (!(err instanceof GenerationError)) throw err;
    const failed = {
      ok: false,
      code: err.code,
      message: err.message,
      fix: hintFor(err.code, language),
    };
    if (values.json) console.log(JSON.stringify(failed, null, 2));
    else
      console.error(
        `✗ ${err.message} [${err.code}]\n  ${checkMessages(language).fix} ${failed.fix}`,
      );
    return 2;
  }
  console.log(
    values.json
      ? JSON.stringify(report, null, 2)
      : formatConnectionReport(report, Boolean(process.stdout.isTTY), language),
  );
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 2;
  },
);
