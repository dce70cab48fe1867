"""Real Keras example models (the keras.io corpus in tests/keras_examples.py): those that
import compile back to a model computing the same outputs with copied weights; the others
are refused with a diagnostic naming the Keras class or construct that blocks them.

`python benchmarks/examples_import.py` prints the same results as a table with totals.
"""

from __future__ import annotations

import numpy as np
import pytest

from keras_examples import EXAMPLES, FAMILIES, input_data, outputs, try_example

pytestmark = [pytest.mark.keras, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:.*does not support masking:UserWarning")]

# The pinned results. When the catalogue grows, a refused model that starts importing fails
# its test with "now imports": move its name from REFUSED to IMPORTS.
IMPORTS = {
    "mnist_convnet", "image_classification_from_scratch", "oxford_pets_image_segmentation",
    "convmixer", "image_classification_efficientnet_fine_tuning", "ct_3d_image_classification",
    "video_classification_cnn_rnn", "autoencoder", "captcha_ocr_prediction",
    "knowledge_distillation", "metric_learning", "zero_dce",
    "text_classification_from_scratch", "bidirectional_lstm_imdb", "lstm_seq2seq",
    "addition_rnn", "pretrained_word_embeddings", "active_learning_review_classification",
    "speaker_recognition_using_cnn", "ctc_asr", "uk_ireland_accent_recognition",
    "timeseries_classification_from_scratch", "timeseries_classification_transformer",
    "timeseries_weather_forecasting", "timeseries_anomaly_detection", "eeg_signal_classification",
    "dcgan_discriminator", "dcgan_generator", "vae_decoder", "wgan_gp_discriminator",
    "wgan_gp_generator", "conditional_gan_generator", "conditional_gan_discriminator",
    "neural_style_transfer", "lstm_character_level_text_generation",
    "structured_data_classification_with_feature_space", "wide_deep_cross_networks_deep_and_cross",
    "collaborative_filtering_movielens", "imbalanced_classification",
    "transfer_learning_xception",  # a nested Functional model: a block used once
    "conv_lstm",  # ConvLSTM2D
    "movielens_recommendations_transformers_features",  # one Embedding called twice: shared
}
# The refused models, each with what its diagnostic must name (a Keras class or construct).
REFUSED = {
    "image_classification_with_vision_transformer": "Patches",  # custom Layer subclasses
    "mlp_image_classification": "MLPMixerLayer",
    "cct": "CCTTokenizer",
    "super_resolution_sub_pixel": "DepthToSpace",
    "captcha_ocr": "CTCLayer",
    "text_classification_with_transformer": "TransformerBlock",
    "neural_machine_translation_with_transformer": "TransformerEncoder",
    "vae_encoder": "Sampling",
    "pixelcnn": "PixelConvLayer",
    "text_generation_with_miniature_gpt": "TokenAndPositionEmbedding",
    "siamese_contrastive": "Lambda",  # Python code in the model
    "ner_with_transformers": "only functional and Sequential models",  # a subclassed Model
    "pointnet": "activity_regularizer",  # a custom Regularizer on a Dense layer
    "structured_data_classification_from_scratch": "StringLookup",
    "wide_deep_cross_networks_wide_and_deep": "CategoryEncoding",
    "tabtransformer": "Stack",
}


@pytest.fixture(scope="module")
def outcome():
    """The outcome of an example by name, tried once per test session."""
    cache = {}

    def tried(name: str):
        if name not in cache:
            cache[name] = try_example(EXAMPLES[name])
        return cache[name]

    return tried


def test_the_corpus_holds_forty_or_more_examples_from_every_family_all_pinned():
    assert len(EXAMPLES) >= 40
    assert {example.family for example in EXAMPLES.values()} == set(FAMILIES)
    assert not IMPORTS & set(REFUSED)
    assert IMPORTS | set(REFUSED) == set(EXAMPLES)
    assert all(e.url.startswith("https://keras.io/") and e.title for e in EXAMPLES.values())


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_an_example_that_imports_compiles_back_to_the_same_outputs(name, outcome):
    result = outcome(name)
    assert result.imported, f"{name} no longer imports: {result.message}"
    keras_params, spec_params = result.params
    assert spec_params == keras_params
    assert result.max_difference <= result.tolerance, (
        f"{name} imports but computes other outputs: largest difference {result.max_difference}")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_an_example_that_is_refused_gets_a_diagnostic_naming_what_blocks_it(name, outcome):
    result = outcome(name)
    assert not result.crashed, f"a traceback instead of a diagnostic: {result.message}"
    if result.imported:
        pytest.fail(f"{name} now imports (outputs equal: {result.equal_outputs}); if they are "
                    "equal, move it from REFUSED to IMPORTS")
    assert REFUSED[name] in result.message
    assert result.message.startswith("cannot ") and "Traceback" not in result.message


def test_the_output_comparison_notices_weights_that_were_not_copied():
    # The oracle can fail: two independently initialised copies of a model disagree.
    first, second = EXAMPLES["mnist_convnet"].build(), EXAMPLES["mnist_convnet"].build()
    data = input_data(first)
    (expected,), (actual,) = outputs(first, data).values(), outputs(second, data).values()
    assert np.abs(expected - actual).max() > 1e-3


def test_inputs_keyed_by_name_are_fed_by_name_not_by_position(outcome):
    # The census models take a dict of scalar inputs; Keras sorts model.inputs by name, so a
    # comparison feeding by position would mix the features up (and differ for that reason).
    model = EXAMPLES["wide_deep_cross_networks_deep_and_cross"].build()
    assert [t.name for t in model.inputs] != list(model._inputs_struct)
    assert outcome("wide_deep_cross_networks_deep_and_cross").equal_outputs


@pytest.mark.parametrize("name", ["siamese_contrastive", "image_classification_with_vision_transformer",
                                  "vae_encoder"])
def test_importing_a_saved_refused_example_prints_one_error_line_and_no_traceback(name, tmp_path):
    from typer.testing import CliRunner

    from layergraph.cli import app

    path = tmp_path / f"{name}.keras"
    EXAMPLES[name].build().save(path)
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in (result.stderr or result.output).splitlines() if line.startswith("error")]
    assert len(errors) == 1 and REFUSED[name] in errors[0]
    assert "Traceback" not in result.output
