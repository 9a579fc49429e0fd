/** Every Firestore path the backend reads or writes, declared once. */
export const MESSAGE_DOCUMENT_PATTERN =
  "workspaces/{workspaceId}/conversations/{conversationId}/messages/{messageId}";

export interface MessageAddress {
  workspaceId: string;
  conversationId: string;
  messageId: string;
}

export const paths = {
  aiSettings: (workspaceId: string) => `workspaces/${workspaceId}/settings/ai`,
  conversation: (a: Pick<MessageAddress, "workspaceId" | "conversationId">) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}`,
  messages: (a: Pick<MessageAddress, "workspaceId" | "conversationId">) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/messages`,
  message: (a: MessageAddress) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/messages/${a.messageId}`,
  /** One suggestion per inbound message, keyed by the message id. */
  suggestion: (a: MessageAddress) =>
    `workspaces/${a.workspaceId}/conversations/${a.conversationId}/suggestions/${a.messageId}`,
};
