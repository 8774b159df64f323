"""Publishing what consent allows: the consent file, the public edition and the leak check.

- `profile`: the consent file (interviews open, restricted or closed; people public, pseudonymised or
  hidden; passages withheld), read and checked;
- `starter`: a first consent file for a corpus (``kg consent init``);
- `forms`: a person's restricted names, and finding them in a string;
- `edit`: the public edition of a built graph (`public_edition`), edited before any writer sees it;
- `leaks`: the leak check of an output folder (``kg check-release``);
- `edition`: ``kg build --consent``, which writes an edition only once the check passes.

See docs/consent.md.
"""
