/**
 * Reasoning models put their thoughts in `message.reasoning` (gpt-oss), `reasoning_content`
 * (DeepSeek-R1, Qwen3 with the app setting on) or inline as `<think>…</think>` at the start of
 * `content`. Only the answer may reach the agent.
 */
const CLOSED_THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
/** A thought cut off by max_tokens: everything after the opening tag is thinking. */
const UNCLOSED_THINK_BLOCK = /<think>[\s\S]*$/i;
/** Some templates emit only the closing tag, with the thoughts before it. */
const ORPHAN_CLOSE = /^[\s\S]*?<\/think>/i;

export function extractReplyText(content: unknown): string {
  if (typeof content !== "string") return "";
  let text = content.replace(CLOSED_THINK_BLOCK, "");
  text = text.replace(UNCLOSED_THINK_BLOCK, "");
  text = text.replace(ORPHAN_CLOSE, "");
  text = text.trim();
  // Models sometimes wrap the whole reply in quotes despite the instruction.
  const quoted = /^["“«](.*)["”»]$/s.exec(text);
  if (quoted && !/["“”«»]/.test(quoted[1])) text = quoted[1].trim();
  return text;
}

/** The start of an opening tag still being written: `<`, `<th`, `<think`. */
const PARTIAL_OPEN_TAG = /<(?:t(?:h(?:i(?:n(?:k)?)?)?)?)?$/i;

/**
 * What an agent may see of an answer still arriving: thoughts hidden until their block closes,
 * wherever the chunks split the tags. The final text is extractReplyText's, on the whole answer.
 */
export function visibleStreamingText(contentSoFar: string): string {
  return contentSoFar
    .replace(CLOSED_THINK_BLOCK, "")
    .replace(UNCLOSED_THINK_BLOCK, "")
    .replace(PARTIAL_OPEN_TAG, "")
    .trimStart();
}
