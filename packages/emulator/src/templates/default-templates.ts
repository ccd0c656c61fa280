import type { EventTemplate } from './template-types.js';

/**
 * The templates the emulator serves when given none, so zero-config use works:
 * - `1001234` "visit" on contacts: `page` (string), `seconds` (number);
 * - `1001235` "check-in" on companies: `location` (string), `method` (enumeration kiosk | mobile | staff), `guests` (number);
 * - `1001236` "call" on contacts: `durationSeconds` (number), `outcome` (enumeration connected | voicemail | no-answer);
 * - `1001237` "scan" on contacts: `code` (string), `scannedAt` (date).
 *
 * @example
 * ```ts
 * const visit = defaultTemplates[0]; // { id: '1001234', name: 'visit', objectType: 'contacts', ... }
 * ```
 */
export const defaultTemplates: readonly EventTemplate[] = Object.freeze([
  {
    id: '1001234',
    name: 'visit',
    objectType: 'contacts',
    tokens: [
      { name: 'page', type: 'string' },
      { name: 'seconds', type: 'number' },
    ],
  },
  {
    id: '1001235',
    name: 'check-in',
    objectType: 'companies',
    tokens: [
      { name: 'location', type: 'string' },
      { name: 'method', type: 'enumeration', options: ['kiosk', 'mobile', 'staff'] },
      { name: 'guests', type: 'number' },
    ],
  },
  {
    id: '1001236',
    name: 'call',
    objectType: 'contacts',
    tokens: [
      { name: 'durationSeconds', type: 'number' },
      { name: 'outcome', type: 'enumeration', options: ['connected', 'voicemail', 'no-answer'] },
    ],
  },
  {
    id: '1001237',
    name: 'scan',
    objectType: 'contacts',
    tokens: [
      { name: 'code', type: 'string' },
      { name: 'scannedAt', type: 'date' },
    ],
  },
]);
