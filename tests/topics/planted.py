"""A corpus generated from known topics, shared by the topic-model tests."""

import numpy as np
import scipy.sparse as sp

TRUE_TOPICS = [
    "skola elev lärare undervisning betyg klassrum rektor läxa skolgård lektion",
    "bostad hyra lägenhet hyresgäst renovering bostadsbolag trapphus kvarter gård tak",
    "arbete jobb arbetsgivare anställning lön praktik arbetsförmedling yrke rekrytering chef",
    "hälsa vård sjukhus läkare patient vårdcentral tandvård sjuksköterska apotek recept",
]


def planted(seed=11, n_docs=300, doc_len=60):
    # Each topic puts decaying weights on its ten words (so its true top ten are known)
    # and a little mass on the other topics' words; documents mix topics with a sparse
    # Dirichlet(0.1), as LDA assumes.
    rng = np.random.default_rng(seed)
    vocab = [w for t in TRUE_TOPICS for w in t.split()]
    k, v = len(TRUE_TOPICS), len(vocab)
    phi = np.full((k, v), 0.002)
    for t in range(k):
        phi[t, t * 10 : (t + 1) * 10] = np.linspace(1.0, 0.4, 10)
    phi /= phi.sum(axis=1, keepdims=True)
    theta = rng.dirichlet(np.full(k, 0.1), size=n_docs)
    counts = np.stack([rng.multinomial(doc_len, theta[d] @ phi) for d in range(n_docs)])
    return sp.csr_matrix(counts), vocab, phi
