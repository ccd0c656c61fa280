/**
 * How much of one message from an answer is read for "already exists" and for the ids it names. HubSpot's
 * messages are a sentence or two; a hostile or broken server can send megabytes, and reading all of it once per
 * event sent would stall the engine. Text past this point is not evidence of anything.
 */
const SCANNED_TEXT_LENGTH = 65_536;

/**
 * The part of `text` that is read for evidence: its first {@link SCANNED_TEXT_LENGTH} characters.
 *
 * @param text - A message from an answer.
 */
export function scannedPart(text: string): string {
  return text.length > SCANNED_TEXT_LENGTH ? text.slice(0, SCANNED_TEXT_LENGTH) : text;
}
