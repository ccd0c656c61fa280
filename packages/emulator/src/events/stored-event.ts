/** An event as the emulator stored it. */
export interface StoredEvent {
  /**
   * The account (portal) that stored it: the account of the access token sent with it. Always set by the
   * emulator; optional in the type only so values built by hand before accounts existed stay valid.
   */
  readonly account?: string;
  /** The template id (for 2026-03 occurrences, the id of the template their `eventTypeName` named). */
  readonly eventTemplateId: string;
  /** The event id, unique per template. */
  readonly id: string;
  /** The template's object type. */
  readonly objectType: string;
  /** Token values as strings, as HubSpot echoes them. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The CRM object the event is on, as sent; required for every object type but contacts. */
  readonly objectId?: string;
  /** The contact's email address, as sent (contacts only). */
  readonly email?: string;
  /** The HubSpot user token (`hubspotutk` cookie) naming the contact, as sent (contacts only). */
  readonly utk?: string;
  /** The domain sent with the event, usually beside `utk`. */
  readonly domain?: string;
  /** The custom object type id, as sent (v3 only; HubSpot's Node SDK drops it). */
  readonly customObjectTypeId?: string;
  /** ISO 8601; the server's time when the request omitted it. */
  readonly timestamp: string;
  /** Free-form data for the template's markdown, as sent (a JSON object). */
  readonly extraData?: Readonly<Record<string, unknown>>;
  /** The iframe link shown on the timeline, as sent: `linkLabel`, `headerLabel`, `url`, `width`, `height`. */
  readonly timelineIFrame?: Readonly<Record<string, unknown>>;
  /** Which API stored it. */
  readonly api: 'v3' | '2026-03';
  /** Emulator clock time of storage, epoch milliseconds. */
  readonly storedAt: number;
  /** `seq` of the request that stored it. */
  readonly requestSeq: number;
}
