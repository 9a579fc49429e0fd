/**
 * What the suggestion trigger declares to the platform, apart from the task itself: the trigger
 * module loads this, and the engine with the `openai` SDK only when its first event arrives.
 */
export const REPLY_SUGGESTION_TIMEOUT_SECONDS = 300;
