/** Who may call the emulated API: static tokens, OAuth clients and installs, issued tokens, the developer key. */

/** A static access token the emulator accepts. */
export interface StaticTokenOptions {
  /** The bearer token value. */
  readonly token: string;
  /**
   * Granted scopes; a token without `timeline` (or a `crm.objects.*.write` scope) is answered 403 when it
   * creates events, and without `timeline` (or a `crm.objects.*.read` scope) when it reads one back.
   * @default ['timeline']
   */
  readonly scopes?: readonly string[];
  /** Epoch milliseconds (on the emulator's clock) after which the token is answered 401 EXPIRED_AUTHENTICATION. */
  readonly expiresAt?: number;
  /** A name shown in the request log instead of the token (tokens are never logged). */
  readonly label?: string;
}

/** An OAuth app whose refresh tokens `POST /oauth/v1/token` exchanges for access tokens. */
export interface OAuthClientOptions {
  /** The app's client id, sent as `client_id`. */
  readonly clientId: string;
  /** The app's client secret, sent as `client_secret`. */
  readonly clientSecret: string;
  /**
   * Refresh tokens of installs in the default account. They never rotate (each refresh answers the same one);
   * installs declared on `accounts` do.
   */
  readonly refreshTokens: readonly string[];
  /**
   * Scopes granted to the access tokens issued.
   * @default ['timeline']
   */
  readonly scopes?: readonly string[];
}

/** Who may call the timeline API. */
export interface AuthOptions {
  /**
   * When false, any request (with or without a bearer) is accepted; rate limits then apply per bearer value,
   * and events go to the bearer's account when it is a known token, else to the default account.
   * @default true
   */
  readonly requireAuth?: boolean;
  /**
   * Static tokens of the default account.
   * @default [{ token: 'hubline-emulator-token', scopes: ['timeline'] }]
   */
  readonly tokens?: readonly StaticTokenOptions[];
  /**
   * OAuth clients (apps) for the refresh-token and authorization-code grants.
   * @default [{ clientId: 'hubline-emulator-client', clientSecret: 'hubline-emulator-secret', refreshTokens: ['hubline-emulator-refresh'] }]
   */
  readonly clients?: readonly OAuthClientOptions[];
  /**
   * Lifetime of access tokens issued by `/oauth/v1/token` and `issueToken()`, in milliseconds.
   * @default 1_800_000 (30 minutes, as HubSpot documents)
   */
  readonly accessTokenTtlMs?: number;
}

/** The app's developer credentials, which the event-template routes require. */
export interface DeveloperOptions {
  /**
   * The app id in the template routes' paths (`/integrators/timeline/v3/{appId}/event-templates`).
   * @default 1160452
   */
  readonly appId?: number;
  /**
   * The developer API key, sent as `?hapikey=` (HubSpot's documented way for these routes).
   * @default 'hubline-emulator-developer-key'
   */
  readonly apiKey?: string;
}

/** A token handed out by {@link RunningEmulator.issueToken}. */
export interface IssuedToken {
  /** The bearer token. */
  readonly accessToken: string;
  /** Emulator clock time of expiry, epoch milliseconds. */
  readonly expiresAt: number;
}

/** Options of {@link RunningEmulator.issueToken}. */
export interface IssueTokenOptions {
  /**
   * The account (portal) the token belongs to; an account not yet known is added.
   * @default the default account
   */
  readonly account?: string;
  /**
   * Granted scopes.
   * @default ['timeline']
   */
  readonly scopes?: readonly string[];
  /**
   * Lifetime in milliseconds.
   * @default auth.accessTokenTtlMs
   */
  readonly ttlMs?: number;
  /** Name shown in the request log. */
  readonly label?: string;
}

/** Options of {@link RunningEmulator.authorize}: the app install a user would approve in HubSpot. */
export interface AuthorizeOptions {
  /**
   * The OAuth client (app) installed.
   * @default the first of `auth.clients`
   */
  readonly clientId?: string;
  /**
   * Scopes granted to the install.
   * @default the client's scopes
   */
  readonly scopes?: readonly string[];
  /** The redirect URI the code was sent to; when given, the exchange must send the same `redirect_uri`. */
  readonly redirectUri?: string;
}

/** An authorization code, as HubSpot appends it to the app's redirect URI after an install. */
export interface AuthorizationCode {
  /** The code, exchanged once at `POST /oauth/v1/token` with `grant_type=authorization_code`. */
  readonly code: string;
  /** Emulator clock time after which the code is refused, epoch milliseconds. */
  readonly expiresAt: number;
}
