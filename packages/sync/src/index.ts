/** @packageDocumentation */
