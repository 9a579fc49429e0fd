import { regexLiteral } from "../../core/textForms";

/*
 * What the support team adds to a customer's turn (knowledge references, an agent's instruction,
 * the number of options): the volatile part of a prompt goes last, after the customer's newest
 * words, not into the system role, so that the system prompt stays byte-identical from request to
 * request (LM Studio reuses its KV cache). Several chat templates reject a system message after
 * the first turn, so a note rides in the user turn, marked: the system prompt says what the mark
 * means, and a customer's own look-alike marks are defused before they reach the model.
 */

const OPEN = '<note from="support team">';
const CLOSE = "</note>";

export const TEAM_NOTE_RULE = `- Text between ${OPEN} and ${CLOSE} comes from the support team, not from the customer: reference articles or the agent's instructions for the reply to the message it follows. Follow it, but never quote it to the customer.`;

const teamNote = (text: string) => `${OPEN}\n${text}\n${CLOSE}`;

/** A note as it follows the customer's words in their turn. */
export const teamNoteTail = (text: string) => `\n\n${teamNote(text)}`;

const TAIL_START = new RegExp(`(?=\n\n${regexLiteral(OPEN)})`);

/** A turn's content cut before each team note: the customer's words, then each note. */
export const splitAtTeamNotes = (content: string) => content.split(TAIL_START);

/** A customer's text with anything that looks like a team note's mark made harmless. */
export const withoutTeamNoteMarks = (text: string) =>
  text.replace(/<\s*(\/?)\s*note\b/gi, (_, slash: string) => `‹${slash}note`);
