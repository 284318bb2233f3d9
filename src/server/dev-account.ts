/**
 * The Batch account `malachite serve` answers for, well known like Azurite's
 * `devstoreaccount1`: it guards nothing, it only lets real clients sign requests.
 */
export const DEV_BATCH_ACCOUNT_NAME = "devbatchaccount1";
export const DEV_BATCH_ACCOUNT_KEY = "IzSUYUtwXICRKwh3vRaaCmRNn/Zf2rjuvyAlZuQFjy9+w7Yc1DsVGa+8j81JO9zscWAQtGtUrfPRc3zumxAdYQ==";
