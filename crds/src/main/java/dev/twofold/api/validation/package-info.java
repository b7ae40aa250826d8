/**
 * Pure validation of the Twofold API objects, shared by the webhook (deny with 422) and the operator (status
 * conditions): every error with its field path, warnings apart. The CRD schema catches most mistakes first; these
 * checks are the second line of defence and cover what the schema cannot express.
 */
package dev.twofold.api.validation;
