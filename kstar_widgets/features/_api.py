"""The public entry points: extract() and list_layers()."""

from __future__ import annotations

from ._extract import extract_features, load_backbone


def extract(
    model="timm:resnet18",
    data=None,
    *,
    layer=None,
    pretrained=False,
    batch_size=64,
    device="auto",
    cache=True,
    cache_dir=None,
    progress=True,
    transform=None,
    image_size=None,
    indices=None,
    limit=None,
    templates=None,
    backend="local",
    client=None,
):
    """Latent vectors of a data set's images at a model layer.

    Parameters
    ----------
    model : str or torch.nn.Module, default="timm:resnet18"
        "timm:<name>" (any ``timm.list_models()`` name, e.g. "timm:resnet50.a1_in1k"),
        "open_clip:<name>/<weights>" (a pair from ``open_clip.list_pretrained()``),
        or your own module (then pass ``transform``).
    data : kw.datasets object, optional
        Default ``kw.datasets.digits()`` (offline), resized by the model's preprocessing.
    layer : str, optional
        timm: "pre_logits" (default; pooled features before the classifier), "logits",
        or a stage from ``feature_info`` by module name ("layer1".."layer4" for ResNets,
        "blocks.0".."blocks.11" for ViTs) or alias "stage0", "stage1", ...; spatial maps
        are globally average pooled. open_clip: "embedding" (default) or
        "embedding_normalized" (L2-normalised). Module: "output" (default) or any
        submodule name (forward hook, pooled). ``list_layers(model)`` lists them.
    pretrained : bool or str, default=False
        False: random weights (seeded, so reproducible and cacheable; works offline).
        True: the weights named by the spec (timm's default tag, the open_clip tag).
        A path: a local weights file (timm via ``pretrained_cfg_overlay=dict(file=...)``,
        open_clip via ``pretrained=<path>``). Offline, True fails fast with the ways forward.
    batch_size : int, default=64
    device : {"auto", "cpu", "cuda", "mps"} or torch.device, default="auto"
    cache : bool, default=True
        Reuse features stored on disk, keyed by model, weights, layer, preprocessing and
        data fingerprint; ``cache=False`` bypasses the cache.
    cache_dir : str or path, optional
        Default ``$KSTAR_WIDGETS_CACHE``, else the user cache dir / "kstar_widgets".
    progress : bool, default=True
        tqdm progress bar (images/second).
    transform : callable, optional
        PIL image -> tensor (C, H, W), for nn.Module models only (default: to [0, 1] floats).
    image_size : int, optional
        Override the model's input size (e.g. 32 for fast CPU tests); ViTs are created at it.
    indices : array-like of int, optional
        Encode only these data set rows (in this order).
    limit : int, optional
        Encode only the first ``limit`` selected rows.
    templates : sequence of str, optional
        Prompt templates for the open_clip text embeddings of the concept names.
    backend : {"local", "dask"}, default="local"
        "dask" splits the data set into shards encoded by the workers of a Dask
        cluster, each loading the model once (``pip install "kstar-widgets[dask]"``);
        with the cache on, written shards survive an interrupted run, which then
        resumes, and the cache folder must be shared with the workers. Workers pick
        their own device (``device`` applies in-process only).
    client : distributed.Client or str, optional
        The cluster (or its scheduler address) for backend="dask"; giving one implies
        backend="dask". Default: the current Dask client, else a new LocalCluster.

    Returns
    -------
    Features
        ``features`` float32 (n, d), ``labels`` (concept names), ``concept_names``,
        ``sample_ids``, ``dataset``, ``meta``; ``text_embeddings`` (n_concepts, d) for open_clip.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> feats = kw.extract("timm:resnet18", image_size=32, limit=64, progress=False, cache=False)
    >>> feats.features.shape
    (64, 512)
    """
    return extract_features(
        model,
        data,
        layer=layer,
        pretrained=pretrained,
        batch_size=batch_size,
        device=device,
        cache=cache,
        cache_dir=cache_dir,
        progress=progress,
        transform=transform,
        image_size=image_size,
        indices=indices,
        limit=limit,
        templates=templates,
        backend=backend,
        client=client,
    )


def list_layers(model, *, image_size=None) -> list:
    """Valid ``layer`` names of a model (spec string or nn.Module), with random weights.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> kw.features.list_layers("timm:resnet18")
    ['logits', 'pre_logits', 'act1', 'layer1', 'layer2', 'layer3', 'layer4']
    """
    return list(load_backbone(model, pretrained=False, image_size=image_size).layers)
