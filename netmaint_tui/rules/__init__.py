"""Pure rules: no Textual, no Peewee. Plain values in, plain values out."""
