from notices import selectors


def test_print(september):
    f = selectors.month_findings(september)
    print(f.text)
    for g in f.groups:
        for p in g.phrases:
            print(g.key, p.text, p.sources)
    print([i.reason for i in f.unplaced])
