"""An independent labelled corpus for the redactor: Faker values, Babel amounts, hand-written
sentences in each language, neutral text from this machine. See build_corpus.py."""
