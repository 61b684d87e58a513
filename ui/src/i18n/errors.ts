// Backend errors the UI phrases itself, by the stable code the backend sends (src-tauri's
// error.rs); an error without a text here shows the backend's message. English and Dutch
// side by side; merged into en.ts and nl.ts. The Dutch object must have exactly the English keys.
export const errorsEn = {
  'error.code.wrongPassphrase': 'The passphrase does not open this signing key. Type it again (passphrases are case-sensitive).',
  'error.code.emptyPassphrase': 'Type the passphrase of the signing key.',
  'error.code.noKey': 'There is no signing key yet. Make one in the key section first.',
  'error.code.noInstitution': 'The institution is not set. Enter its short id and name in the monitor settings before signing.',
  'error.code.noShares': 'The cap table has no shares. Give at least one holder one share or more.',
  'error.code.nothingAccepted': 'No submission in the inbox was accepted, so there is nothing to aggregate. Check the inbox report.',
};

export const errorsNl: Record<keyof typeof errorsEn, string> = {
  'error.code.wrongPassphrase': 'Het wachtwoord opent deze ondertekeningssleutel niet. Typ het opnieuw (let op hoofdletters).',
  'error.code.emptyPassphrase': 'Typ het wachtwoord van de ondertekeningssleutel.',
  'error.code.noKey': 'Er is nog geen ondertekeningssleutel. Maak er eerst een bij de sleutel.',
  'error.code.noInstitution': 'De instelling is niet ingesteld. Vul bij de monitorinstellingen de korte code en de naam in voordat u ondertekent.',
  'error.code.noShares': 'De cap table heeft geen aandelen. Geef ten minste één houder één aandeel of meer.',
  'error.code.nothingAccepted': 'Geen enkele inzending in de inbox is geaccepteerd, dus er valt niets samen te voegen. Bekijk het inboxrapport.',
};
