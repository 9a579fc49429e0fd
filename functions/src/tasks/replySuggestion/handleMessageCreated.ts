import { readMessage } from "../../conversation/message";
import { EngineDeps, runGenerationTask, TaskRunResult } from "../../engine/runGenerationTask";
import type { AgentUseOutcome } from "./agentUse";
import { retirePendingSuggestions } from "./latestSuggestion";
import { recordAgentUse } from "./recordAgentUse";
import { MessageCreatedInput, replySuggestionTask } from "./replySuggestionTask";

export type MessageCreatedResult =
  TaskRunResult | { kind: "agent_replied"; superseded: number; agentUse?: AgentUseOutcome };

/**
 * The trigger's entry. A customer's message: its suggestion. The agent's own message: the
 * suggestions still waiting or generating for earlier customer messages give way (their model
 * calls are closed), since the agent has answered without them.
 */
export async function handleMessageCreated(
  input: MessageCreatedInput,
  deps: EngineDeps,
): Promise<MessageCreatedResult> {
  const message = readMessage(input.address.messageId, input.message);
  if (message.direction === "outbound") {
    const named = input.message?.suggestionId;
    const [superseded, agentUse] = await Promise.all([
      retirePendingSuggestions(deps.db, input.address, message.createdAtMs, {
        supersededBy: input.address.messageId,
        reason: "agent_replied",
      }),
      recordAgentUse(
        deps.db,
        input.address,
        message,
        typeof named === "string" ? named : undefined,
      ),
    ]);
    return { kind: "agent_replied", superseded, ...(agentUse ? { agentUse } : {}) };
  }
  return runGenerationTask(replySuggestionTask, input, deps);
}
