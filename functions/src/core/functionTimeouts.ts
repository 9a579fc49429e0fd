/*
 * Each function's timeout, declared once: the trigger is deployed with it, and the engine plans
 * every attempt, wait and outcome write of a task inside the timeout of the function that
 * actually runs it (a report asked for through `aiRequests` runs in that function's 300 s, not
 * in the 540 s of the function that reports closed conversations). Each function's secrets are
 * declared beside these names, in config/functionSecrets.ts.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  onMessageCreated: 300,
  onAiRequestCreated: 300,
  onConversationUpdated: 540,
  onKnowledgeWritten: 540,
  sweepBridgeJobs: 300,
  aiHealth: 30,
  aiConsole: 30,
} as const;

export type FunctionName = keyof typeof FUNCTION_TIMEOUT_SECONDS;

export const functionTimeoutMs = (name: FunctionName) => FUNCTION_TIMEOUT_SECONDS[name] * 1000;
