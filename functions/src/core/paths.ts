/** Every Firestore path the backend reads or writes, declared once. */
export const MESSAGE_DOCUMENT_PATTERN =
  "workspaces/{workspaceId}/conversations/{conversationId}/messages/{messageId}";

export const CONVERSATION_DOCUMENT_PATTERN =
  "workspaces/{workspaceId}/conversations/{conversationId}";

export const AI_REQUEST_DOCUMENT_PATTERN =
  "workspaces/{workspaceId}/conversations/{conversationId}/aiRequests/{requestId}";

export const KNOWLEDGE_ARTICLE_DOCUMENT_PATTERN = "workspaces/{workspaceId}/knowledge/{articleId}";

export interface ConversationAddress {
  workspaceId: string;
  conversationId: string;
}

export interface MessageAddress {
  workspaceId: string;
  conversationId: string;
  messageId: string;
}

export const paths = {
  aiSettings: (workspaceId: string) => `workspaces/${workspaceId}/settings/ai`,
  /** A workspace member; `role: "admin"` may change settings and see health details. */
  member: (workspaceId: string, uid: string) => `workspaces/${workspaceId}/members/${uid}`,
  metrics: (workspaceId: string) => `workspaces/${workspaceId}/metrics`,
  conversations: (workspaceId: string) => `workspaces/${workspaceId}/conversations`,
  conversation: (a: Pick<MessageAddress, "workspaceId" | "conversationId">) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}`,
  messages: (a: Pick<MessageAddress, "workspaceId" | "conversationId">) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/messages`,
  message: (a: MessageAddress) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/messages/${a.messageId}`,
  /** Aggregated counters of one workspace for one UTC day (YYYY-MM-DD). */
  dailyMetrics: (workspaceId: string, day: string) => `workspaces/${workspaceId}/metrics/${day}`,
  /** Bridge mode's queue: one job per generation, no client access. */
  llmJobs: () => "llmJobs",
  llmJob: (jobId: string) => `llmJobs/${jobId}`,
  /** Run N of a job: created once, by the bridge that runs it. */
  llmJobLease: (jobId: string, run: number) => `llmJobs/${jobId}/leases/run-${run}`,
  /** Each bridge's presence: last seen, loaded models, jobs in flight. */
  bridges: () => "system/ai/bridges",
  bridge: (bridgeId: string) => `system/ai/bridges/${bridgeId}`,
  /** The last breaker state the suggestion instances reported per provider endpoint. */
  endpointStatuses: () => "system/ai/endpoints",
  endpointStatus: (endpointId: string) => `system/ai/endpoints/${endpointId}`,
  suggestions: (a: Pick<MessageAddress, "workspaceId" | "conversationId">) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/suggestions`,
  /** An agent's request (regenerate, rewrite): the client creates it, the backend answers on it. */
  aiRequests: (a: ConversationAddress) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/aiRequests`,
  aiRequest: (a: ConversationAddress, requestId: string) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/aiRequests/${requestId}`,
  /** One member's count of agent requests for one UTC day. */
  aiQuota: (workspaceId: string, uid: string, day: string) =>
    `workspaces/${workspaceId}/aiQuota/${uid}_${day}`,
  /** A conversation's reports: one per close (`close-{time}`) or per request (`request-{id}`). */
  reports: (a: ConversationAddress) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/reports`,
  report: (a: ConversationAddress, reportId: string) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/reports/${reportId}`,
  /** A help-center article; admins write it, members read it, the backend indexes it. */
  knowledgeArticle: (workspaceId: string, articleId: string) =>
    `workspaces/${workspaceId}/knowledge/${articleId}`,
  knowledgeArticles: (workspaceId: string) => `workspaces/${workspaceId}/knowledge`,
  /** An article's index state, kept apart so that indexing never fires the article's trigger. */
  knowledgeIndex: (workspaceId: string, articleId: string) =>
    `workspaces/${workspaceId}/knowledgeIndex/${articleId}`,
  knowledgeIndexes: (workspaceId: string) => `workspaces/${workspaceId}/knowledgeIndex`,
  /** An article's chunks with their vectors: `{articleId}_{n}`, backend only. */
  knowledgeChunks: (workspaceId: string) => `workspaces/${workspaceId}/knowledgeChunks`,
  knowledgeChunk: (workspaceId: string, articleId: string, position: number) =>
    `workspaces/${workspaceId}/knowledgeChunks/${articleId}_${position}`,
  /** Customer questions no article answered, per UTC day: `npm run kb:gaps` lists them. */
  knowledgeGaps: (workspaceId: string) => `workspaces/${workspaceId}/knowledgeGaps`,
  knowledgeGap: (workspaceId: string, day: string, questionKey: string) =>
    `workspaces/${workspaceId}/knowledgeGaps/${day}_${questionKey}`,
  /** One suggestion per inbound message, keyed by the message id. */
  suggestion: (a: MessageAddress) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/suggestions/${a.messageId}`,
};
